// The data grid measures its wrapped rows after drawing them and grows as it does; on a slow
// machine that takes longer than any fixed wait (a fixed half second was measured at 0.11 of
// layout shift under load). So the grid is shown once its rows are in (the callback marks the
// box "grid-ready") and its size has then stayed the same for a quarter of a second: the box
// gets `data-settled` (site.css shows the grid; without this script it shows after 3 s).
(function () {
  "use strict";
  var BOX_ID = "data-grid-container"; // dashboard/ids.py DATA_GRID_CONTAINER
  var QUIET_MS = 250;

  function watch(box) {
    var wrapper = box.querySelector(".ag-root-wrapper");
    if (!wrapper || box.dataset.settleWatched) {
      return;
    }
    box.dataset.settleWatched = "1";
    var timer = null;
    var resized = new ResizeObserver(arm);
    function arm() {
      if (box.hasAttribute("data-settled") || !box.classList.contains("grid-ready")) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        box.setAttribute("data-settled", "");
        resized.disconnect();
      }, QUIET_MS);
    }
    resized.observe(wrapper);
    new MutationObserver(arm).observe(box, { attributes: true, attributeFilter: ["class"] });
    arm();
  }

  // Pages are drawn by Dash after load: look for the box whenever the page changes.
  new MutationObserver(function () {
    var box = document.getElementById(BOX_ID);
    if (box) {
      watch(box);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
