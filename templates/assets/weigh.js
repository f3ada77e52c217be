/* valuemap "Weigh it yourself": the overall value map recomputed for a visitor's dimension weights.
   The same arithmetic as generator/score.py (value_map, fit_line, ranking) on the page's JSON data block:
   RQ(w) = 100 · Σ w_d·S_d / Σ w_d·K_d, the fair-value line fitted to the placed points, distance, justified
   price = line(RQ) floored at 0 × p̄ / 100, zones, rank (ties by name casefolded, then slug). Numbers are
   formatted as generator/formats.py does: half away from zero on the shortest decimal of the number, then
   laid out by Intl.NumberFormat in the site's language, the typographic minus for negatives. */
(function () {
  "use strict";
  var MINUS = "\u2212";

  /* --- sums and rounding ----------------------------------------------------------------------------- */
  function fsum(values) {  /* Neumaier's compensated sum: as close to Python's math.fsum as needed here */
    var sum = 0, c = 0;
    for (var i = 0; i < values.length; i++) {
      var v = values[i], t = sum + v;
      c += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
      sum = t;
    }
    return sum + c;
  }
  function mean(values) { return fsum(values) / values.length; }

  /* The shortest decimal of |x| (what Python's repr gives), written out without an exponent. */
  function plainDigits(x) {
    var s = String(Math.abs(x)), e = s.indexOf("e");
    if (e < 0) { return s; }
    var mant = s.slice(0, e), exp = parseInt(s.slice(e + 1), 10);
    var dot = mant.indexOf("."), digits = mant.replace(".", ""), point = (dot < 0 ? mant.length : dot) + exp;
    if (point <= 0) { return "0." + new Array(1 - point).join("0") + digits; }
    if (point >= digits.length) { return digits + new Array(point - digits.length + 1).join("0"); }
    return digits.slice(0, point) + "." + digits.slice(point);
  }

  /* |x| rounded half away from zero to `decimals` places, as a decimal string; and whether it is 0. */
  function roundHalfAway(x, decimals) {
    var s = plainDigits(x), dot = s.indexOf(".");
    var whole = dot < 0 ? s : s.slice(0, dot), frac = dot < 0 ? "" : s.slice(dot + 1);
    while (frac.length < decimals + 1) { frac += "0"; }
    var digits = (whole + frac.slice(0, decimals)).split("").map(Number);
    if (Number(frac.charAt(decimals)) >= 5) {
      var i = digits.length - 1;
      while (i >= 0) { if (digits[i] === 9) { digits[i] = 0; i--; } else { digits[i] += 1; break; } }
      if (i < 0) { digits.unshift(1); }
    }
    var intLen = digits.length - decimals, text = digits.slice(0, intLen).join("").replace(/^0+(?=\d)/, "");
    if (decimals > 0) { text += "." + digits.slice(intLen).join(""); }
    return { text: text, zero: !/[1-9]/.test(text) };
  }

  function Formats(lang, currency, priceDecimals) {
    var cache = {};
    function nf(kind, d) {
      var key = kind + d;
      if (!cache[key]) {
        var opts = { minimumFractionDigits: d, maximumFractionDigits: d, roundingMode: "halfExpand" };
        if (kind === "currency") { opts.style = "currency"; opts.currency = currency; }
        if (kind === "percent") { opts.style = "percent"; }
        cache[key] = new Intl.NumberFormat(lang, opts);
      }
      return cache[key];
    }
    /* the number already rounded (exact decimal string): Intl only lays it out */
    function lay(kind, r, d) {
      if (kind === "percent") { return nf(kind, d).format(Number(r.text) / 100); }
      return nf(kind, d).format(r.text);
    }
    function plainNumber(kind, x, d) {
      if (x === null || x === undefined) { return "\u2014"; }
      var r = roundHalfAway(x, d), body = lay(kind, r, d);
      return (x < 0 && !r.zero) ? MINUS + body : body;
    }
    function signedNumber(kind, x, d, plus) {
      if (x === null || x === undefined) { return "\u2014"; }
      var r = roundHalfAway(x, d), body = lay(kind, r, d);
      if (r.zero) { return body; }
      return x < 0 ? MINUS + body : (plus ? "+" + body : body);
    }
    this.number = function (x, d) { return plainNumber("decimal", x, d === undefined ? 1 : d); };
    this.signed = function (x) { return signedNumber("decimal", x, 1, true); };
    this.money = function (x) { return plainNumber("currency", x, priceDecimals); };
    this.signedMoney = function (x) { return signedNumber("currency", x, priceDecimals, true); };
    this.percent = function (x) { return signedNumber("percent", x, 0, true); };
    this.share = function (f) { return signedNumber("percent", 100 * f, 0, false); };
    this.ratio = function (x) { return plainNumber("decimal", x, 2); };
  }

  /* --- the value map (generator/score.py: value_map, fit_line) ---------------------------------------- */
  function fitLine(method, pts) {
    var diagonal = { intercept: 0, slope: 1 };
    if (method.line === "slope") {
      if (!pts.length) { return { intercept: 100 - 100 * method.slope, slope: method.slope }; }
      var cx = mean(pts.map(function (p) { return p[0]; })), cy = mean(pts.map(function (p) { return p[1]; }));
      return { intercept: cy - method.slope * cx, slope: method.slope };
    }
    if (method.line === "regression") {
      if (pts.length < 3) { return diagonal; }
      var mx = mean(pts.map(function (p) { return p[0]; })), my = mean(pts.map(function (p) { return p[1]; }));
      var sxx = fsum(pts.map(function (p) { return (p[0] - mx) * (p[0] - mx); }));
      if (sxx <= 1e-9 * Math.max(1, mx * mx)) { return diagonal; }
      var slope = fsum(pts.map(function (p) { return (p[0] - mx) * (p[1] - my); })) / sxx;
      if (slope <= 1e-9) { return diagonal; }
      return { intercept: my - slope * mx, slope: slope };
    }
    return diagonal;
  }
  function lineAt(line, rq) { return Math.max(line.intercept + line.slope * rq, 0); }
  function round9(x) { return Number(x.toFixed(9)); }

  function compute(data, weights) {
    var method = data.method, rows = [];
    data.companies.forEach(function (c) {
      var num = fsum(weights.map(function (w, i) { return w * c.sums[i]; }));
      var den = fsum(weights.map(function (w, i) { return w * c.known[i]; }));
      if (den > 0) { rows.push({ c: c, rq: 100 * num / den, rp: c.relative_price }); }
    });
    var line = fitLine(method, rows.map(function (r) { return [r.rq, r.rp]; }));
    rows.forEach(function (r) {
      var lineRp = lineAt(line, r.rq), price = r.c.price;
      r.distance = lineRp - r.rp;
      r.justified = lineRp * r.c.price_average / 100;
      r.headroom = r.justified - price;
      r.headroomPct = price > 0 ? 100 * r.headroom / price : null;
      r.ratio = r.rp > 0 ? r.rq / r.rp : null;
      r.zone = r.distance > method.band ? "better" : r.distance < -method.band ? "worse" : "fair";
      r.key = method.rank_by === "ratio" ? (r.ratio === null ? -Infinity : -round9(r.ratio)) : -round9(r.distance);
    });
    rows.sort(function (a, b) { return (a.key - b.key) || (a.c.order - b.c.order); });
    rows.forEach(function (r, i) { r.rank = i + 1; });
    return { line: line, rows: rows };
  }

  /* --- drawing ---------------------------------------------------------------------------------------- */
  function tone(x) { return x === null ? "" : x > 0.05 ? "positive" : x < -0.05 ? "negative" : ""; }
  var ZONE_TONE = { better: "positive", worse: "negative", fair: "" };

  function range(values) {  /* generator/charts.py: _range */
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values), span = Math.max(hi - lo, 10);
    return [lo - span * 0.12, hi + span * 0.12];
  }

  function figureFor(data, result, fmt) {
    var fig = data.figure, line = result.line, band = data.method.band;
    var xs = result.rows.map(function (r) { return r.rq; }), ys = result.rows.map(function (r) { return r.rp; });
    var xr = range(xs.concat([100])), x0 = xr[0], x1 = xr[1];
    var yr = range(ys.concat([100, lineAt(line, x0), lineAt(line, x1)])), y0 = yr[0], y1 = yr[1];
    var lo0 = lineAt(line, x0) - band, lo1 = lineAt(line, x1) - band;
    var hi0 = lineAt(line, x0) + band, hi1 = lineAt(line, x1) + band;
    var traces = fig.data.map(function (t) { return Object.assign({}, t); });
    traces[0].x = [x0, x1, x1, x0, x0]; traces[0].y = [lo0, lo1, y0, y0, lo0];
    traces[1].x = [x0, x1, x1, x0, x0]; traces[1].y = [hi0, hi1, y1, y1, hi0];
    traces[2].x = [x0, x1, x1, x0, x0]; traces[2].y = [lo0, lo1, hi1, hi0, lo0];
    traces[3].x = [x0, x1]; traces[3].y = [lineAt(line, x0), lineAt(line, x1)];
    [[4, false], [5, true]].forEach(function (pair) {
      var sel = result.rows.filter(function (r) { return r.c.us === pair[1]; }), t = traces[pair[0]];
      t.x = sel.map(function (r) { return r.rq; });
      t.y = sel.map(function (r) { return r.rp; });
      t.text = sel.map(function (r) { return r.c.label; });
      t.textposition = sel.map(function () { return "top center"; });
      t.customdata = sel.map(function (r) { return [fmt.number(r.rq), fmt.number(r.rp), fmt.signed(r.distance)]; });
      t.meta = { short: t.text };
      delete t.error_x; delete t.error_y; delete t.hovertext;
      var zones = fig.layout.meta && fig.layout.meta.zones;  /* competitors by zone, as charts.py draws them */
      if (!pair[1] && zones) {
        t.marker = Object.assign({}, t.marker, {
          color: sel.map(function (r) { return zones[r.zone].color; }),
          symbol: sel.map(function (r) { return zones[r.zone].symbol; }),
          size: sel.map(function (r) { return zones[r.zone].size; }) });
      }
    });
    var layout = Object.assign({}, fig.layout);
    layout.xaxis = Object.assign({}, layout.xaxis, { range: [x0, x1] });
    layout.yaxis = Object.assign({}, layout.yaxis, { range: [y0, y1] });
    if (window.matchMedia("(max-width: 640px)").matches) {
      layout.margin = { l: 44, r: 8, t: 8, b: 48 };
      layout.font = Object.assign({}, layout.font, { size: 11 });
    }
    return { data: traces, layout: layout };
  }

  function cellOf(tag, text, cls) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    var bdi = document.createElement("bdi");
    bdi.textContent = text;
    el.appendChild(bdi);
    return el;
  }

  // The same mark as the status_mark macro (templates/macros.html): a labelled image, no text.
  function statusMark(status, labels) {
    var span = document.createElement("span");
    span.className = "status status-" + status;
    span.setAttribute("role", "img");
    span.setAttribute("aria-label", labels[status]);
    span.title = labels[status];
    return span;
  }

  function fillTable(tbody, result, data, fmt) {
    var s = data.strings;
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    result.rows.forEach(function (r) {
      var tr = document.createElement("tr");
      if (r.c.us) { tr.className = "us"; }
      tr.appendChild(cellOf("td", String(r.rank), "num "));
      var name = document.createElement("td");
      var holder = name;
      if (r.c.us) { holder = document.createElement("strong"); name.appendChild(holder); }
      var bdi = document.createElement("bdi");
      bdi.textContent = r.c.name;
      if (r.c.href) {
        var a = document.createElement("a");
        a.href = r.c.href;
        a.appendChild(bdi);
        holder.appendChild(a);
      } else { holder.appendChild(bdi); }
      tr.appendChild(name);
      tr.appendChild(cellOf("td", fmt.number(r.rq), "num "));
      tr.appendChild(cellOf("td", fmt.number(r.rp), "num "));
      tr.appendChild(cellOf("td", fmt.signed(r.distance), "num " + tone(r.distance)));
      tr.appendChild(cellOf("td", r.ratio === null ? s.free : fmt.ratio(r.ratio), "num "));
      var price = cellOf("td", fmt.money(r.c.price), "num ");
      if (r.c.price_status) { price.appendChild(statusMark(r.c.price_status, s.status)); }
      tr.appendChild(price);
      tr.appendChild(cellOf("td", fmt.money(r.justified), "num "));
      tr.appendChild(cellOf("td", fmt.signedMoney(r.headroom) + " (" + fmt.percent(r.headroomPct) + ")",
                            "num " + tone(r.headroom)));
      tr.appendChild(cellOf("td", s.zone[r.zone], ZONE_TONE[r.zone]));
      tbody.appendChild(tr);
    });
  }

  function fillFigures(figures, result, data, fmt) {
    var s = data.strings, us = null;
    result.rows.forEach(function (r) { if (r.c.us) { us = r; } });
    function set(i, value, detail, cls) {
      var fig = figures.querySelector("[data-figure='" + i + "']");
      if (!fig) { return; }
      fig.querySelector(".figure-value").textContent = value;
      if (detail !== null) { fig.querySelector(".figure-detail").textContent = detail; }
      fig.className = "figure " + cls;
    }
    if (!us) {
      set(0, "\u2014", null, ""); set(1, "\u2014", null, ""); set(2, "\u2014", s.unplaced, "");
      return;
    }
    set(0, s.rank_value.replace("{rank}", us.rank).replace("{count}", result.rows.length), null,
        us.rank === 1 ? "positive" : "");
    set(1, fmt.money(us.justified), null, "");
    set(2, fmt.signedMoney(us.headroom), s.headroom_detail.replace("{pct}", fmt.percent(us.headroomPct)),
        tone(us.headroom));
  }

  /* --- the page --------------------------------------------------------------------------------------- */
  function init() {
    var source = document.getElementById("weigh-data");
    var panel = document.getElementById("weigh-sliders");
    if (!source || !panel) { return; }
    var block = JSON.parse(source.textContent), data = block.weigh;
    data.figure = { data: block.data, layout: block.layout };
    var fmt = new Formats(data.lang, data.currency, data.price_decimals);
    var inputs = data.dimensions.map(function (d) { return document.getElementById("weight-" + d.id); });
    var outputs = data.dimensions.map(function (d) { return document.querySelector("[data-share='" + d.id + "']"); });
    var tbody = document.querySelector("#weigh-ranking tbody");
    var figures = document.getElementById("weigh-figures");
    var message = document.getElementById("weigh-message");
    var chart = document.getElementById("weigh-map");
    var drawn = false;
    panel.hidden = false;

    function update(weights) {
      var total = fsum(weights);
      if (!(total > 0)) { message.textContent = data.strings.all_zero; return; }
      message.textContent = "";
      var shares = weights.map(function (w) { return w / total; });
      shares.forEach(function (w, i) { if (outputs[i]) { outputs[i].textContent = fmt.share(w); } });
      var result = compute(data, shares);
      fillTable(tbody, result, data, fmt);
      fillFigures(figures, result, data, fmt);
      if (typeof Plotly !== "undefined" && chart) {
        var fig = figureFor(data, result, fmt);
        var config = { responsive: true, displayModeBar: false, displaylogo: false, showSendToCloud: false,
                       showEditInChartStudio: false };  /* no toolbar (valuemap.js): it covered the corner note */
        if (drawn) { Plotly.react(chart, fig.data, fig.layout, config); }
        else { Plotly.newPlot(chart, fig.data, fig.layout, config); drawn = true; chart.classList.add("chart-drawn"); }
      }
      document.body.setAttribute("data-weigh-state", shares.join(","));
    }
    function fromSliders() { return inputs.map(function (el) { return Math.max(0, Number(el.value) || 0); }); }
    function reset() {
      data.dimensions.forEach(function (d, i) { inputs[i].value = String(100 * d.weight); });
      update(data.dimensions.map(function (d) { return d.weight; }));
    }
    inputs.forEach(function (el) { el.addEventListener("input", function () { update(fromSliders()); }); });
    document.getElementById("weigh-reset").addEventListener("click", reset);
    update(data.dimensions.map(function (d) { return d.weight; }));
  }

  /* plotly.js loads (deferred) after this script: start once everything has loaded */
  if (document.readyState === "complete") { init(); } else { window.addEventListener("load", init); }
})();
