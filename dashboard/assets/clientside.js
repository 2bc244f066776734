/* Clientside callbacks registered many times over (once per chart). Defined once here: a
   callback written as a string in Python puts its own <script> element in every page. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    vru: {
        // Plotly ignores a figure's own height inside a responsive graph; the box must have it.
        fitHeight: function (figure) {
            var height = figure && figure.layout && figure.layout.height;
            return {height: (height || 480) + "px"};
        },
        // The browser writes the embed code to the clipboard; the code also stays visible in
        // the status line for anyone whose browser refuses.
        copySnippet: function (snippet) {
            if (snippet && navigator.clipboard) {
                navigator.clipboard.writeText(snippet).catch(function () {});
            }
        }
    }
});
