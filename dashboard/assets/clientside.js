/* Clientside callbacks registered many times over (once per chart). Defined once here: a
   callback written as a string in Python puts its own <script> element in every page. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    vru: {
        // Plotly ignores a figure's own height inside a responsive graph; the box must have it.
        fitHeight: function (figure) {
            var height = figure && figure.layout && figure.layout.height;
            return {height: (height || 480) + "px"};
        },
        // Small multiples built four to a row (dashboard/figures/area_trend.py) are laid out two
        // to a row on a phone: the same panels, traces, shapes and labels, moved to new axes.
        narrowPanels: function (figure) {
            var noUpdate = window.dash_clientside.no_update;
            var layout = figure && figure.layout;
            var grid = layout && layout.meta && layout.meta.smallMultiples;
            var columns = window.innerWidth < 576 ? 2 : 4;
            if (!grid || grid.columns <= columns) {
                return noUpdate;
            }
            var count = grid.panels.length;
            var oldRows = Math.ceil(count / grid.columns);
            var rows = Math.ceil(count / columns);
            var own = grid.ownScale === null || grid.ownScale === undefined ? -1 : grid.ownScale;
            var height = rows * grid.rowHeight + (rows - 1) * grid.rowGap;
            var gap = 0.1;  // wider than on a desktop: the names are nearly a column wide
            var width = (1 - gap * (columns - 1)) / columns;
            function num(ref) {
                var digits = String(ref).split(" ")[0].slice(1);
                return digits ? parseInt(digits, 10) - 1 : 0;
            }
            function panelOf(xref, yref) {
                var row = num(yref);
                return row === oldRows && own >= 0 ? own : row * grid.columns + num(xref);
            }
            function axisId(letter, n) {
                return n === 0 ? letter : letter + (n + 1);
            }
            function refsOf(index) {
                var row = index === own ? rows : Math.floor(index / columns);
                return [axisId("x", index % columns), axisId("y", row)];
            }
            function left(index) {
                return (index % columns) * (width + gap);
            }
            function top(index) {
                return 1 - Math.floor(index / columns) * (grid.rowHeight + grid.rowGap) / height;
            }
            function moved(item) {
                if (!item.xref || !item.yref || item.xref === "paper" || item.yref === "paper") {
                    return null;
                }
                var refs = refsOf(panelOf(item.xref, item.yref));
                var xRest = String(item.xref).split(" ").slice(1).join(" ");
                var yRest = String(item.yref).split(" ").slice(1).join(" ");
                return Object.assign({}, item, {
                    xref: refs[0] + (xRest ? " " + xRest : ""),
                    yref: refs[1] + (yRest ? " " + yRest : "")
                });
            }
            var out = Object.assign({}, layout);
            var templates = {x: layout.xaxis, y: layout.yaxis, own: layout["yaxis" + (oldRows + 1)]};
            Object.keys(out).forEach(function (key) {
                if (/^[xy]axis\d*$/.test(key)) {
                    delete out[key];
                }
            });
            for (var index = 0; index < count; index++) {
                var refs = refsOf(index);
                var xKey = "xaxis" + refs[0].slice(1);
                var yKey = "yaxis" + refs[1].slice(1);
                var bottom = Math.max(0, top(index) - grid.rowHeight / height);
                // In reading order, so the lowest panel of a column carries its ticks.
                out[xKey] = Object.assign({}, templates.x, {
                    domain: [left(index), left(index) + width],
                    anchor: refs[1]
                });
                if (refs[0] !== "x") {
                    out[xKey].matches = "x";
                }
                if (index === own || !out[yKey]) {
                    out[yKey] = Object.assign({}, index === own ? templates.own : templates.y, {
                        domain: [bottom, Math.min(1, top(index))],
                        anchor: index === own ? refs[0] : "x"
                    });
                }
            }
            var data = (figure.data || []).map(function (trace) {
                var refs = refsOf(panelOf(trace.xaxis || "x", trace.yaxis || "y"));
                return Object.assign({}, trace, {xaxis: refs[0], yaxis: refs[1]});
            });
            out.shapes = (layout.shapes || []).map(function (shape) {
                return moved(shape) || shape;
            });
            out.annotations = (layout.annotations || []).map(function (note) {
                var name = String(note.text || "").replace(/<[^>]+>/g, "");
                var index = grid.panels.indexOf(name);
                if (note.xref === "paper" && index >= 0) {
                    return Object.assign({}, note, {
                        x: left(index),
                        y: Math.min(1, top(index)),
                        font: Object.assign({}, note.font, {size: 12})
                    });
                }
                return moved(note) || note;
            });
            out.height = height + grid.extra;
            out.margin = Object.assign({}, layout.margin, {r: 4});
            out.meta = Object.assign({}, layout.meta, {
                smallMultiples: Object.assign({}, grid, {columns: columns})
            });
            return Object.assign({}, figure, {data: data, layout: out});
        },
        // A chart below the first screen is drawn only when its box comes near the window:
        // the box's store is set to true then (once), and the server callback that draws the
        // chart waits for it. Without IntersectionObserver, or without the box, at once.
        drawWhenVisible: function (boxId, storeId) {
            var box = document.getElementById(boxId);
            if (!box || typeof window.IntersectionObserver !== "function") {
                return true;
            }
            var observer = new window.IntersectionObserver(function (entries) {
                if (entries.some(function (entry) { return entry.isIntersecting; })) {
                    observer.disconnect();
                    window.dash_clientside.set_props(storeId, {data: true});
                }
            }, {rootMargin: "200px 0px"});
            observer.observe(box);
            return window.dash_clientside.no_update;
        },
        // The data grid's rows: the body of the data version (dashboard/grid_feed.py) is
        // fetched once and kept (the browser caches its address for good, as it never changes);
        // the server's answer to the filters only says which rows to show. A worker a moment
        // behind a release answers 404 for the new version: ask again a few times.
        gridRows: (function () {
            var kept = {url: null, rows: null};
            var FAILED = "The figures could not be loaded. Reload the page to try again.";
            function wait(ms) {
                return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
            }
            function fetchRows(url, triesLeft) {
                return window.fetch(url, {credentials: "same-origin"}).then(function (reply) {
                    if (reply.ok) {
                        return reply.json();
                    }
                    if (reply.status === 404 && triesLeft > 0) {
                        return wait(1000).then(function () { return fetchRows(url, triesLeft - 1); });
                    }
                    throw new Error("the rows answered " + reply.status);
                });
            }
            return function (pick) {
                var noUpdate = window.dash_clientside.no_update;
                if (!pick || typeof pick.rows !== "string") {
                    return [noUpdate, noUpdate, noUpdate];
                }
                if (kept.url !== pick.rows) {
                    kept = {url: pick.rows, rows: fetchRows(pick.rows, 8)};
                }
                var mine = kept;
                return mine.rows.then(function (all) {
                    var shown = Array.isArray(pick.pick) ? pick.pick.map(function (place) {
                        return all[place];
                    }).filter(Boolean) : all;
                    return [shown, "grid-box grid-ready", ""];
                }, function () {
                    if (kept === mine) {
                        kept = {url: null, rows: null};  // the next change of filter tries again
                    }
                    return [[], "grid-box grid-ready", FAILED];
                });
            };
        })(),
        // The browser writes the embed code to the clipboard; the code also stays visible in
        // the status line for anyone whose browser refuses.
        copySnippet: function (snippet) {
            if (snippet && navigator.clipboard) {
                navigator.clipboard.writeText(snippet).catch(function () {});
            }
        }
    }
});
