/* valuemap: draws every chart on the page from its JSON data block with the local plotly.js.
   No inline script (the Content-Security-Policy forbids it) and no network: data and library ship in the site. */
(function () {
  "use strict";
  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }

  /* How wide text is, in half-ems: a CJK (or other full-width) character counts two, any other one. */
  function wide(ch) {
    var c = ch.charCodeAt(0);
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6);
  }
  var NO_LINE_START = "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー・、。，．）」』】〕〉》！？";  /* may not begin a line */
  function units(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) { n += wide(text[i]) ? 2 : 1; }
    return n;
  }

  /* A criterion's name in lines at most `max` half-ems wide: a phone's tick labels. Words are kept whole; a run
     of full-width characters (Japanese has no spaces) is broken between characters where it is too long. */
  function wrap(label, max) {
    var lines = [], line = "", words = [];
    String(label).split(" ").forEach(function (word) {
      if (units(word) > max && wide(word[0])) {  /* in even pieces: no character left alone on a line */
        var size = Math.ceil(word.length / Math.ceil(units(word) / max)), at = 0;
        while (at < word.length) {
          var end = Math.min(at + size, word.length);
          while (end < word.length && end > at + 1 && NO_LINE_START.indexOf(word[end]) >= 0) { end--; }  /* kinsoku */
          words.push(word.slice(at, end));
          at = end;
        }
      } else if (word) { words.push(word); }
    });
    words.forEach(function (word) {
      var joined = line ? line + (wide(word[0]) && wide(line[line.length - 1]) ? "" : " ") + word : word;
      if (line && units(joined) > max) { lines.push(line); line = word; }
      else { line = joined; }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  /* On a phone a value curve cannot fit across: turn it sideways (criteria down, names wrapped so the plot
     keeps most of the width), a row per criterion tall enough for two lines, the dimension rules across. */
  function rotate(figure) {
    var layout = figure.layout, n = layout.meta.categories, wrapped = {};
    figure.data.forEach(function (trace) {
      var x = trace.x, names = Array.isArray(x[0]) ? x[1] : x;  /* criteria only */
      trace.x = trace.y;
      trace.y = names.map(function (name) { return (wrapped[name] = wrapped[name] || wrap(name, 16)); });
      trace.hovertemplate = trace.hovertemplate.replace("%{y", "%{x");
    });
    var xaxis = layout.xaxis, yaxis = layout.yaxis, row = n > 6 ? 34 : 44;
    layout.xaxis = Object.assign({}, yaxis, { side: "top" });
    layout.yaxis = Object.assign({}, xaxis, { autorange: false, range: [n - 0.5, -0.5], tickangle: 0 });
    layout.hovermode = "y unified";
    layout.shapes = (layout.shapes || []).map(function (s) {  /* a rule between groups: across, not up */
      return Object.assign({}, s, { x0: 0, x1: 1, y0: 1 - s.x0, y1: 1 - s.x1 });
    });
    var legendRows = figure.data.filter(function (t) { return t.showlegend !== false; }).length +
      (layout.legend && layout.legend.title ? 1 : 0);
    /* below the plot, from the chart's left edge (not the plot's: the criteria's names take that room) */
    layout.legend = Object.assign({}, layout.legend, { orientation: "v", xref: "container", x: 0,
                                                       xanchor: "left", yref: "container", y: 0, yanchor: "bottom" });
    /* margins set, not grown by plotly (it would grow the left one by the legend's width): the widest line of
       a criterion's name on the left, the score axis on top, the legend's rows below */
    var widest = 0;  /* in half-ems of the 11 px type: ~6.6 px each (a Cyrillic capital is wider than a Latin one) */
    Object.keys(wrapped).forEach(function (k) {
      wrapped[k].split("<br>").forEach(function (line) { widest = Math.max(widest, units(line)); });
    });
    layout.margin = { l: Math.ceil(widest * 6.6) + 18, r: 8, t: 48, b: 24 + 20 * legendRows, autoexpand: false };
    layout.height = row * n + layout.margin.t + layout.margin.b;
  }

  /* A value map on a phone: short names placed for the phone's plot (value_map_chart.py places them twice), a label
     with no clear spot there left undrawn (its name is in the hover and the table), the corner notes short. */
  function narrowMap(figure) {
    var meta = figure.layout.meta || {};
    figure.data.forEach(function (trace) {
      var m = trace.meta;
      if (!m || !m.short_pos || m.short_pos.length !== (trace.text || []).length) { return; }
      trace.textposition = m.short_pos;
      var ink = trace.textfont.color;
      trace.textfont.color = m.short_hidden.map(function (hidden, i) {
        return hidden ? "rgba(0, 0, 0, 0)" : (Array.isArray(ink) ? ink[i] : ink);
      });
    });
    if (meta.short_notes && figure.layout.annotations) {
      figure.layout.annotations = figure.layout.annotations.map(function (note, i) {
        return meta.short_notes[i] ? Object.assign({}, note, { text: meta.short_notes[i] }) : note;
      });
    }
  }

  function adapt(figure, el) {
    var layout = figure.layout;
    if (narrow()) {
      if (!(layout.meta && layout.meta.rotate_on_narrow)) {
        /* bars labelled past their end keep the right margin the figure asked for: a bar at the scale's top
           puts its label ("10.0") there */
        var outside = figure.data.some(function (t) { return t.type === "bar" && t.textposition === "outside"; });
        var right = outside && layout.margin && layout.margin.r > 8 ? layout.margin.r : 8;
        layout.margin = { l: 44, r: right, t: 8, b: 48 };
      }
      layout.font = Object.assign({}, layout.font, { size: 11 });
      if (layout.height && layout.height > 420 && el.getAttribute("data-chart").indexOf("value-map") === 0) {
        layout.height = 440 + ((layout.meta && layout.meta.narrow_extra) || 0);
      }
      figure.data.forEach(function (trace) {
        if (trace.textfont) { trace.textfont = Object.assign({}, trace.textfont, { size: 10 }); }
        if (trace.meta && trace.meta.short) { trace.text = trace.meta.short; }
        /* history trails off by default stay off on a phone, out of the legend (the trail table lists them) */
        if (trace.meta && trace.meta.trail && trace.visible === "legendonly") { trace.showlegend = false; }
      });
      narrowMap(figure);
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
      displayModeBar: false,    /* no toolbar: it covered the map's corner note and, on phones, a bar label */
      displaylogo: false,
      showSendToCloud: false,   /* never offer to upload the data to a third party */
      showEditInChartStudio: false
    });
    if (figure.layout.meta && figure.layout.meta.pick && el.on) {
      picker(el, figure.layout.meta.pick, figure.layout.meta.pick_label);
    }
    /* a chart lower on paper than on screen (a battlecard's value curves); not one turned sideways on a phone */
    el.paperHeight = (!narrow() && figure.layout.meta && figure.layout.meta.print_height) || 0;
  }

  /* The strategy canvas: a click on a company in the legend makes it the rival drawn against us (the one
     before it turns grey again); us and the rival stay drawn. Instead of plotly's show/hide on click. */
  function picker(el, styles, label) {
    function restyle(i, role) {
      Plotly.restyle(el, { line: [styles[role].line], marker: [styles[role].marker], "meta.role": role }, [i]);
    }
    function roleOf(i) { var m = el.data[i].meta; return m && m.role; }
    var select = null;
    function pick(i) {
      if (roleOf(i) !== "muted") { return; }
      el.data.forEach(function (trace, k) { if (roleOf(k) === "rival") { restyle(k, "muted"); } });
      restyle(i, "rival");
      if (select) { select.value = String(i); }
    }
    el.on("plotly_legendclick", function (event) { pick(event.curveNumber); return false; });
    el.on("plotly_legenddoubleclick", function () { return false; });
    /* Without a mouse: the same choice from a list above the chart (a legend entry cannot take focus) */
    if (!label || el.parentNode.querySelector(".chart-pick")) { return; }
    var id = el.id + "-pick", box = document.createElement("p"), name = document.createElement("label");
    box.className = "chart-pick";
    name.htmlFor = id;
    name.textContent = label + " ";
    select = document.createElement("select");
    select.id = id;
    el.data.forEach(function (trace, i) {
      var role = roleOf(i);
      if (role !== "muted" && role !== "rival") { return; }
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = trace.name;
      option.selected = role === "rival";
      select.appendChild(option);
    });
    select.addEventListener("change", function () { pick(Number(select.value)); });
    box.appendChild(name);
    box.appendChild(select);
    el.parentNode.insertBefore(box, el);
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
  /* A hidden history trail cannot be clicked on paper: its legend entry is left off the print (as on a phone),
     which keeps the home page's map on the first page under the headline figures. */
  function hiddenTrails(el) {
    var found = [];
    (el.data || []).forEach(function (trace, i) {
      if (trace.meta && trace.meta.trail && trace.visible === "legendonly" && trace.showlegend !== false) { found.push(i); }
    });
    return found;
  }
  function toPrint() {
    if (printing || typeof Plotly === "undefined") { return; }
    printing = true;
    document.documentElement.classList.add("print-size");
    drawn().forEach(function (el) {
      el.printHidden = hiddenTrails(el);
      var update = { width: el.clientWidth };
      if (el.paperHeight && el._fullLayout.height) { el.printHeight = el._fullLayout.height; update.height = el.paperHeight; }
      if (el.printHidden.length) {
        var legend = function () { return (el._fullLayout && el._fullLayout.legend && el._fullLayout.legend._height) || 0; };
        var before = legend();
        Plotly.restyle(el, { showlegend: false }, el.printHidden);
        var saved = before - legend();  /* the legend rows left off: the plot keeps its height, the chart shrinks */
        if (saved > 0 && el._fullLayout.height) {
          el.printHeight = el.printHeight || el._fullLayout.height;
          update.height = (update.height || el._fullLayout.height) - saved;
        }
      }
      Plotly.relayout(el, update);
    });
  }
  function toScreen() {
    if (!printing || typeof Plotly === "undefined") { return; }
    printing = false;
    document.documentElement.classList.remove("print-size");
    drawn().forEach(function (el) {
      if (el.printHidden && el.printHidden.length) { Plotly.restyle(el, { showlegend: true }, el.printHidden); }
      var update = { width: null };
      if (el.printHeight) { update.height = el.printHeight; }
      el.printHidden = []; el.printHeight = 0;
      Plotly.relayout(el, update); Plotly.Plots.resize(el);
    });
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

/* Tables wider than their scroll box (docs/design.md, "Tables"): the wrapper gets .overflows, so the stylesheet
   shows the "scroll sideways" hint above the table; measured again whenever a box or a table changes size (a
   <details> opening, a phone turned, weigh.js rewriting the ranking). And on a phone, whose navigation is one
   row that scrolls sideways, the current page's link is brought into view. */
(function () {
  "use strict";
  function check(box) {
    var wrap = box.parentElement;
    if (wrap && wrap.classList.contains("table-wrap")) {
      wrap.classList.toggle("overflows", box.scrollWidth > box.clientWidth + 1);
    }
  }
  function init() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-wrap > .table-scroll"));
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (e) { check(e.target.classList.contains("table-scroll") ? e.target : e.target.parentElement); });
      });
      boxes.forEach(function (box) {
        observer.observe(box);
        if (box.firstElementChild) { observer.observe(box.firstElementChild); }
      });
    }
    boxes.forEach(check);
    window.addEventListener("resize", function () { boxes.forEach(check); });
    var nav = document.querySelector(".site-nav");
    var current = nav && nav.querySelector("[aria-current='page']");
    if (current && nav.scrollWidth > nav.clientWidth + 1) {
      var n = nav.getBoundingClientRect(), c = current.getBoundingClientRect();
      nav.scrollLeft += c.left - n.left - (n.width - c.width) / 2;
    }
    /* A phone's one-row navigation: a link reached with Tab is scrolled clear of the fade at the right edge
       (the browser stops as soon as part of it shows) */
    if (nav) {
      nav.addEventListener("focusin", function (e) {
        if (nav.scrollWidth <= nav.clientWidth + 1 || !e.target.getBoundingClientRect) { return; }
        var n = nav.getBoundingClientRect(), r = e.target.getBoundingClientRect(), fade = 40, edge = 14;
        if (r.right > n.right - fade) { nav.scrollLeft += r.right - (n.right - fade); }
        else if (r.left < n.left + edge) { nav.scrollLeft -= (n.left + edge) - r.left; }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
