// Fits each area map to the size it is drawn at, so England and Wales fill the card on a 360 px
// phone and on a desktop alike, with nothing cut off. The figure carries the bounds to fit
// (layout.meta.fitBounds, set by dashboard/figures/area_map.py, which does the same sum for
// exports). The view is refitted only when the map's size or bounds change, so a reader's own
// zoom and pan are kept.
(function () {
  "use strict";
  var TILE = 512;

  function mercatorY(latitude) {
    return Math.log(Math.tan(Math.PI / 4 + (latitude * Math.PI) / 180 / 2));
  }

  function fittedView(bounds, width, height, padding) {
    var west = bounds[0], south = bounds[1], east = bounds[2], north = bounds[3];
    var top = mercatorY(north), bottom = mercatorY(south);
    var w = Math.max(width, 1) * (1 - 2 * padding);
    var h = Math.max(height, 1) * (1 - 2 * padding);
    var zoomW = Math.log2((w * 360) / (TILE * (east - west)));
    var zoomH = Math.log2((h * 2 * Math.PI) / (TILE * (top - bottom)));
    var middle = (top + bottom) / 2;
    var latitude = ((2 * Math.atan(Math.exp(middle)) - Math.PI / 2) * 180) / Math.PI;
    return { center: { lat: latitude, lon: (west + east) / 2 }, zoom: Math.min(zoomW, zoomH) };
  }

  // A relayout made while MapLibre is still loading its style can update the figure's layout
  // and never reach the map (seen on first loads on a phone: East Anglia cut off). So the view
  // MapLibre draws is compared with the layout's once the map is idle, and moved if it lags. A
  // reader's own zoom is in the layout too (plotly writes it back at the end of each move), so
  // this never undoes it.
  function sync(graph) {
    var sub = graph._fullLayout && graph._fullLayout.map && graph._fullLayout.map._subplot;
    var map = sub && sub.map;
    var want = graph.layout && graph.layout.map;
    if (!map || !want || typeof want.zoom !== "number" || !want.center) {
      return;
    }
    function apply() {
      if (map.isMoving()) {
        return;
      }
      var centre = map.getCenter();
      var lagging =
        Math.abs(map.getZoom() - want.zoom) > 0.005 ||
        Math.abs(centre.lng - want.center.lon) > 0.001 ||
        Math.abs(centre.lat - want.center.lat) > 0.001;
      if (lagging) {
        map.jumpTo({ center: [want.center.lon, want.center.lat], zoom: want.zoom });
      }
    }
    if (map.loaded()) {
      apply();
    } else {
      map.once("idle", apply);
    }
  }

  function fit(graph) {
    var meta = graph.layout && graph.layout.meta;
    var size = graph._fullLayout && graph._fullLayout._size;
    if (!meta || !meta.fitBounds || !size || !window.Plotly) {
      return;
    }
    var domain = (graph._fullLayout.map && graph._fullLayout.map.domain) || { x: [0, 1], y: [0, 1] };
    var width = size.w * (domain.x[1] - domain.x[0]);
    var height = size.h * (domain.y[1] - domain.y[0]);
    var key = Math.round(width) + "x" + Math.round(height) + ":" + meta.fitBounds.join(",");
    if (graph.dataset.mapFit === key) {
      sync(graph);
      return;
    }
    graph.dataset.mapFit = key;
    var view = fittedView(meta.fitBounds, width, height, meta.fitPadding || 0.04);
    window.Plotly.relayout(graph, { "map.center": view.center, "map.zoom": view.zoom }).then(
      function () {
        sync(graph);
      }
    );
  }

  function watch() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      if (graph.dataset.mapFitWatched || typeof graph.on !== "function") {
        return;
      }
      if (!(graph.layout && graph.layout.meta && graph.layout.meta.fitBounds)) {
        return;
      }
      graph.dataset.mapFitWatched = "1";
      graph.on("plotly_afterplot", function () {
        fit(graph);
      });
      fit(graph);
    });
  }

  new MutationObserver(function () {
    window.requestAnimationFrame(watch);
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", watch);
})();
