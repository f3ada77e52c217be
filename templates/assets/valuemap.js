/* valuemap: draws every chart on the page from its JSON data block with the local plotly.js.
   No inline script (the Content-Security-Policy forbids it) and no network: data and library ship in the site. */
(function () {
  "use strict";
  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }

  /* On a phone a value curve with many criteria cannot fit across: turn it sideways (criteria down). */
  function rotate(figure) {
    var layout = figure.layout;
    figure.data.forEach(function (trace) {
      var x = trace.x; trace.x = trace.y; trace.y = Array.isArray(x[0]) ? x[1] : x;  /* criteria only */
      trace.hovertemplate = trace.hovertemplate.replace("%{y", "%{x");
    });
    var xaxis = layout.xaxis, yaxis = layout.yaxis;
    layout.xaxis = Object.assign({}, yaxis, { side: "top" });
    layout.yaxis = Object.assign({}, xaxis, { autorange: "reversed", tickangle: 0 });
    layout.hovermode = "y unified";
    layout.height = 26 * layout.meta.categories + 150;
    layout.legend = Object.assign({}, layout.legend, { y: -0.02, yanchor: "top" });
    layout.margin = { l: 44, r: 8, t: 40, b: 24 + 20 * figure.data.length };
    layout.height += 20 * figure.data.length;
  }

  function adapt(figure, el) {
    var layout = figure.layout;
    if (narrow()) {
      if (!(layout.meta && layout.meta.rotate_on_narrow)) { layout.margin = { l: 44, r: 8, t: 8, b: 48 }; }
      layout.font = Object.assign({}, layout.font, { size: 11 });
      if (layout.height && layout.height > 420 && el.getAttribute("data-chart").indexOf("value-map") === 0) {
        layout.height = 440;
      }
      figure.data.forEach(function (trace) {
        if (trace.textfont) { trace.textfont = Object.assign({}, trace.textfont, { size: 10 }); }
        if (trace.meta && trace.meta.short) { trace.text = trace.meta.short; }
      });
      if (layout.meta && layout.meta.rotate_on_narrow) { rotate(figure); }
    }
    return figure;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || typeof Plotly === "undefined") { return; }
    var figure = adapt(JSON.parse(source.textContent), el);
    el.classList.add("chart-drawn");
    Plotly.newPlot(el, figure.data, figure.layout, {
      responsive: true,
      displaylogo: false,
      showSendToCloud: false,   /* never offer to upload the data to a third party */
      showEditInChartStudio: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d", "pan2d", "zoom2d"],
      toImageButtonOptions: { format: "png", scale: 2 }
    });
  }

  function init() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }

  /* Printing: plotly drew each chart at the screen's width, wider than paper. Before printing, measure every
     chart with the page at print width (html.print-size, see valuemap.css) and redraw it at that width;
     afterwards let it fill the screen again. Both beforeprint and the print media query (which headless
     printing and print emulation change) lead here; each runs once per print. */
  var printing = false;
  function drawn() { return Array.prototype.slice.call(document.querySelectorAll(".chart-drawn")); }
  function toPrint() {
    if (printing || typeof Plotly === "undefined") { return; }
    printing = true;
    document.documentElement.classList.add("print-size");
    drawn().forEach(function (el) { Plotly.relayout(el, { width: el.clientWidth }); });
  }
  function toScreen() {
    if (!printing || typeof Plotly === "undefined") { return; }
    printing = false;
    document.documentElement.classList.remove("print-size");
    drawn().forEach(function (el) { Plotly.relayout(el, { width: null }); Plotly.Plots.resize(el); });
  }
  window.addEventListener("beforeprint", toPrint);
  window.addEventListener("afterprint", toScreen);
  var printQuery = window.matchMedia("print");
  var onPrintQuery = function (e) { if (e.matches) { toPrint(); } else { toScreen(); } };
  if (printQuery.addEventListener) { printQuery.addEventListener("change", onPrintQuery); }
  else if (printQuery.addListener) { printQuery.addListener(onPrintQuery); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();

/* Copy buttons (the internal list of prospect links): <button data-copy="URL"> puts URL on the clipboard.
   No inline script (CSP script-src 'self'); without the Clipboard API the URL stays on the page to select. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button || !navigator.clipboard || !navigator.clipboard.writeText) { return; }
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      var done = button.getAttribute("data-copied");
      if (done) { button.textContent = done; }
    }, function () { /* refused (no permission, not a secure context): the URL is on the page to copy */ });
  });
})();
