"""The browser section of `make bench`: what a visitor's browser does to show each page.

Per page, and for the bare Dash page in the same run: time until the view is drawn, time until
the page is idle (no request in flight and Dash not loading), the total time of long tasks
(main-thread tasks over 50 ms), cumulative layout shift, and the number of DOM elements.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import sync_playwright

PAGES = (
    "/",
    "/trends",
    "/investment",
    "/compare",
    "/units",
    "/unit/northumbria",
    "/data",
    "/methods",
    "/accessibility",
)
CLS_LIMIT = 0.05
RATIO_LIMIT = 1.5  # long-task time and time to idle, against the bare Dash page
DOM_LIMIT = 1500
# The dashboard's view is drawn when its heading is; the bare page's when its graph is.
DRAWN = "#page-content-container h1, .js-plotly-plot .main-svg"

OBSERVE = """
window.vruBench = {cls: 0, longTasks: 0};
new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.vruBench.cls += e.value;
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.vruBench.longTasks += e.duration;
}).observe({type: "longtask", buffered: true});
"""
IDLE = "() => !document.querySelector('[data-dash-is-loading]')"


def measure(browser: Any, url: str) -> dict[str, Any]:
    """One cold visit (fresh context, empty cache) of one address."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(OBSERVE)
    start = time.monotonic()
    page.goto(url)
    page.wait_for_selector(DRAWN, timeout=120_000)
    drawn = time.monotonic() - start
    page.wait_for_load_state("networkidle")
    page.wait_for_function(IDLE, timeout=120_000)
    idle = time.monotonic() - start
    page.wait_for_timeout(500)  # late shift and long-task entries are reported a little later
    seen = page.evaluate(
        "() => ({...window.vruBench, dom: document.getElementsByTagName('*').length})"
    )
    context.close()
    return {
        "drawn_ms": round(drawn * 1000),
        "idle_ms": round(idle * 1000),
        "long_task_ms": round(seen["longTasks"]),
        "cls": round(seen["cls"], 3),
        "dom_elements": seen["dom"],
    }


def browser_section(app_url: str, floor_url: str, chromium: str, args: list[str]) -> dict[str, Any]:
    """Every page of the dashboard and the bare page, with ratios to the bare page."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        measure(browser, floor_url + "/")  # warm the server's caches, not timed
        floor = measure(browser, floor_url + "/")
        pages = {}
        for path in PAGES:
            measure(browser, app_url + path)
            pages[path] = measure(browser, app_url + path)
        browser.close()
    for row in pages.values():
        row["idle_ratio"] = round(row["idle_ms"] / max(floor["idle_ms"], 1), 2)
        row["long_task_ratio"] = round(row["long_task_ms"] / max(floor["long_task_ms"], 1), 2)
    return {"floor": floor, "pages": pages}


def browser_targets(section: dict[str, Any]) -> list[tuple[str, Any, Any, bool, str]]:
    """(target, value, limit, met, detail) rows for the report."""
    rows = []
    floor = section["floor"]
    for path, row in section["pages"].items():
        rows.append((f"CLS {path}", row["cls"], CLS_LIMIT, row["cls"] <= CLS_LIMIT, "at most"))
        rows.append(
            (
                f"long-task time {path}",
                row["long_task_ms"],
                round(RATIO_LIMIT * floor["long_task_ms"]),
                row["long_task_ms"] <= RATIO_LIMIT * max(floor["long_task_ms"], 1),
                f"{row['long_task_ratio']}x the bare page's {floor['long_task_ms']} ms",
            )
        )
        rows.append(
            (
                f"time to idle {path}",
                row["idle_ms"],
                round(RATIO_LIMIT * floor["idle_ms"]),
                row["idle_ms"] <= RATIO_LIMIT * floor["idle_ms"],
                f"{row['idle_ratio']}x the bare page's {floor['idle_ms']} ms",
            )
        )
        rows.append(
            (
                f"DOM elements {path}",
                row["dom_elements"],
                DOM_LIMIT,
                row["dom_elements"] <= DOM_LIMIT,
                "at most",
            )
        )
    return rows
