// Charts keep the width they were drawn at, which is wider than an A4 page. Before printing,
// redraw the profile's charts at the printed width, and let them fill the window again after.
(function () {
  "use strict";
  var PRINT_WIDTH = 640; // CSS pixels inside a chart card on A4 with 15 mm margins
  function charts() {
    return document.querySelectorAll(".unit-profile .profile-graph .js-plotly-plot");
  }
  function fit(width) {
    if (!window.Plotly) {
      return;
    }
    charts().forEach(function (chart) {
      var update = width ? { width: width, autosize: false } : { width: null, autosize: true };
      window.Plotly.relayout(chart, update);
    });
  }
  window.addEventListener("beforeprint", function () { fit(PRINT_WIDTH); });
  window.addEventListener("afterprint", function () { fit(null); });
})();
