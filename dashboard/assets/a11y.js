// Repairs, in the browser, what third-party components render in a way assistive technology
// misreads. Each repair is idempotent, so it simply runs again after React or plotly redraw.
//  - Dash 4 dropdowns: the Tab stop is an aria-hidden proxy input that hands focus to the real
//    button, and the button is named by its value only. Make the button the Tab stop, take the
//    proxy out of the Tab order, and name the button by its visible <label> and then its value.
//    Its "Clear selection" mark is an <a> without href inside the button: a mouse-only shortcut
//    (Delete or Backspace on the button does the same), so hide it from assistive technology
//    and give it an id, as a checker rightly expects of an anchor that is no link.
//  - Map canvases (maplibre) are all called "Map": name each from its graph's container.
//  - plotly's toolbar puts a dozen buttons per chart in the Tab order; keyboard users have the
//    Download menu and the table instead, so the toolbar stays for the mouse only.
//  - A chart box that scrolls sideways (.chart-scroll, on a narrow screen) is a Tab stop while
//    it scrolls, so a keyboard can scroll it too, and no Tab stop while it does not.
(function () {
  "use strict";

  function repairDropdowns(root) {
    root.querySelectorAll("input.dash-dropdown-focus-target").forEach(function (proxy) {
      if (proxy.tabIndex !== -1) {
        proxy.tabIndex = -1;
      }
      var button = proxy.nextElementSibling;
      if (!button || !button.classList.contains("dash-dropdown")) {
        return;
      }
      if (!button.disabled && button.tabIndex !== 0) {
        button.tabIndex = 0;
      }
      button.querySelectorAll("a.dash-dropdown-clear").forEach(function (clear) {
        if (clear.getAttribute("aria-hidden") !== "true") {
          clear.setAttribute("aria-hidden", "true");
        }
        if (!clear.id && button.id) {
          clear.id = button.id + "-clear";
        }
      });
      var label = button.id && document.querySelector('label[for="' + button.id + '"]');
      if (label && label.id) {
        var parts = [label.id];
        if (document.getElementById(button.id + "-value-count")) {
          parts.push(button.id + "-value-count");
        }
        parts.push(button.id + "-value");
        var wanted = parts.join(" ");
        if (button.getAttribute("aria-labelledby") !== wanted) {
          button.setAttribute("aria-labelledby", wanted);
        }
      }
    });
  }

  function repairMaps(root) {
    root.querySelectorAll("canvas.maplibregl-canvas").forEach(function (canvas) {
      var box = canvas.closest("[data-map-label]");
      if (!box) {
        return;
      }
      // plotly gives each map subplot a container id ending in "-map", "-map2", ...
      var subplot = canvas.parentElement;
      while (subplot && subplot !== box && !/-map\d*$/.test(subplot.id)) {
        subplot = subplot.parentElement;
      }
      var inset = subplot && /-map\d+$/.test(subplot.id);
      var name = (inset && box.getAttribute("data-inset-label")) || box.getAttribute("data-map-label");
      if (canvas.getAttribute("aria-label") !== name) {
        canvas.setAttribute("aria-label", name);
      }
    });
  }

  function repairToolbars(root) {
    root.querySelectorAll(".modebar-btn").forEach(function (button) {
      if (button.tabIndex !== -1) {
        button.tabIndex = -1;
      }
    });
  }

  function repairScrollBoxes(root) {
    root.querySelectorAll(".chart-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && box.getAttribute("tabindex") !== "0") {
        box.setAttribute("tabindex", "0");
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
      }
    });
  }

  var pending = false;
  function repairSoon() {
    if (pending) {
      return;
    }
    pending = true;
    // Once per frame at most, however many nodes a redraw touches.
    window.requestAnimationFrame(function () {
      pending = false;
      repairDropdowns(document);
      repairMaps(document);
      repairToolbars(document);
      repairScrollBoxes(document);
    });
  }

  function start() {
    repairSoon();
    window.addEventListener("resize", repairSoon);
    new MutationObserver(repairSoon).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["tabindex", "aria-labelledby", "aria-label"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
