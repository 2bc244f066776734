// Runs pa11y (HTML_CodeSniffer, WCAG 2 AA) on pages of a running dashboard with one Chromium,
// at desktop and phone widths, and prints {"<path> @ <width>": [issues...]} as JSON.
// Called by tests/browser/test_pa11y.py.
// Usage: node check.mjs <chromium> <base URL> <path> [<path> ...]
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const [chromium, base, ...paths] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: chromium,
  args: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
  ],
});
const results = {};
const viewports = [
  { width: 1280, height: 800 },
  { width: 390, height: 844, isMobile: true },
];
try {
  for (const viewport of viewports) for (const path of paths) {
    const page = await browser.newPage();
    const outcome = await pa11y(base + path, {
      browser,
      page,
      viewport,
      runners: ["htmlcs"],
      standard: "WCAG2AA",
      timeout: 120000,
      // The view is drawn by callbacks after the page loads: wait for its heading, then for
      // Dash to have no request in flight.
      actions: ["wait for element #page-content-container h1 to be visible"],
      wait: 1500,
    });
    results[`${path} @ ${viewport.width}`] = outcome.issues.map((issue) => ({
      code: issue.code,
      message: issue.message,
      selector: issue.selector,
    }));
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
