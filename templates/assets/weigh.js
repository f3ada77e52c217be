/* valuemap "Weigh it yourself": the overall value map recomputed for a visitor's dimension weights.
   The same arithmetic as generator/score.py (value_map, fit_line, ranking) on the page's JSON data block:
   RQ(w) = 100 · Σ w_d·S_d / Σ w_d·K_d, the fair-value line fitted to the placed points, distance, justified
   price = line(RQ) floored at 0 × p̄ / 100, zones, rank (a tie shares its rank, listed by name casefolded, then
   slug). Numbers are formatted as generator/formats.py does: half away from zero on the shortest decimal of
   the number, then laid out by Intl.NumberFormat in the site's language, the typographic minus for negatives. */
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
        /* grouping always, as Babel groups on the server: CLDR lets et, pl and others leave 4,002 ungrouped */
        var opts = { minimumFractionDigits: d, maximumFractionDigits: d, roundingMode: "halfExpand",
                     useGrouping: "always" };
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
    /* a customer value: one decimal, more where one would put it on the fair-value band's edge while it lies
       outside (formats.py: band_decimals) */
    this.valueForMoney = function (x, band) {
      if (x === null || x === undefined) { return "\u2014"; }
      var d = 1;
      while (d < 4 && Math.abs(x) > band && Math.abs(Number(roundHalfAway(x, d).text)) <= band) { d++; }
      return signedNumber("decimal", x, d, true);
    };
    this.money = function (x) { return plainNumber("currency", x, priceDecimals); };
    this.signedMoney = function (x) { return signedNumber("currency", x, priceDecimals, true); };
    this.percent = function (x) { return signedNumber("percent", x, 0, true); };
    this.share = function (f) { return signedNumber("percent", 100 * f, 0, false); };
    /* parts of one whole as whole percents adding up to 100% (largest remainder; formats.py: shares) */
    this.shares = function (fractions) {
      var total = fsum(fractions), share = this.share;
      if (!(total > 0)) { return fractions.map(function (f) { return share(f); }); }
      var exact = fractions.map(function (f) { return Math.round(1e9 * (100 * f / total)) / 1e9; });
      var whole = exact.map(Math.floor);
      var left = 100 - whole.reduce(function (a, b) { return a + b; }, 0);
      var order = exact.map(function (x, i) { return i; }).sort(function (a, b) {
        var d = Math.round(1e9 * (whole[a] - exact[a])) / 1e9 - Math.round(1e9 * (whole[b] - exact[b])) / 1e9;
        return d !== 0 ? d : a - b;
      });
      for (var k = 0; k < left && k < order.length; k++) { whole[order[k]] += 1; }
      return whole.map(function (w) { return signedNumber("percent", w, 0, false); });
    };
    this.ratio = function (x) { return plainNumber("decimal", x, 2); };
    this.whole = function (n) { return nf("decimal", 0).format(n); };  /* a rank or a count: 4,002 */
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
    rows.forEach(function (r, i) { r.rank = i && r.key === rows[i - 1].key ? rows[i - 1].rank : i + 1; });  /* a tie shares its rank */
    return { line: line, rows: rows };
  }

  /* --- drawing ---------------------------------------------------------------------------------------- */
  function tone(x) { return x === null ? "" : x > 0.05 ? "positive" : x < -0.05 ? "negative" : ""; }
  var ZONE_TONE = { better: "positive", worse: "negative", fair: "" };

  function range(values) {  /* generator/value_map_chart.py: _range */
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values), span = Math.max(hi - lo, 10);
    return [lo - span * 0.12, hi + span * 0.12];
  }

  /* --- labels: generator/labels.py's placement, for the points placed here ------------------------------ */
  /* The same greedy pass in screen space as the maps the server draws (labels.place): most crowded points
     first (ours before all), each label at the cheapest of eight positions around its point — overlapping the
     other labels, the markers, the zone notes and the fair-value line costs, each step down the list a
     little — boxes kept in a coarse grid capped per cell, so the work stays linear. A label that still meets
     another is not drawn (its name stays in the hover and the table); ours always is. */
  var POSITIONS = ["top center", "bottom center", "middle right", "middle left",
                   "top right", "top left", "bottom right", "bottom left"];
  var CELL_W = 160, CELL_H = 48, CELL_CAP = 8, EDGE = 8;
  /* the plot area each placement is made for (value_map_chart.py: _MAP_AREAS): width, height, label character width,
     text height, note character width — a desktop or paper, and a phone (short names, smaller type) */
  var AREAS = { wide: [640, 390, 7.2, 16, 6.6], narrow: [255, 250, 6.0, 13, 6.0] };

  function onSegment(b, seg) {  /* how long the segment runs inside box b (Liang–Barsky) */
    var ax = seg[0][0], ay = seg[0][1], dx = seg[1][0] - ax, dy = seg[1][1] - ay, t0 = 0, t1 = 1;
    var pq = [[-dx, ax - b[0]], [dx, b[2] - ax], [-dy, ay - b[1]], [dy, b[3] - ay]];
    for (var k = 0; k < 4; k++) {
      var p = pq[k][0], q = pq[k][1];
      if (p === 0) { if (q < 0) { return 0; } continue; }
      var r = q / p;
      if (p < 0) { t0 = Math.max(t0, r); } else { t1 = Math.min(t1, r); }
      if (t0 >= t1) { return 0; }
    }
    return (t1 - t0) * Math.sqrt(dx * dx + dy * dy);
  }

  function placeLabels(points, xr, yr, area, line, notes, first) {
    var width = area[0], height = area[1], charPx = area[2], textPx = area[3];
    var sx = width / (xr[1] - xr[0]), sy = height / (yr[1] - yr[0]);
    var screen = points.map(function (p) { return [(p[0] - xr[0]) * sx, (yr[1] - p[1]) * sy, p[2]]; });
    var seg = line.map(function (p) { return [(p[0] - xr[0]) * sx, (yr[1] - p[1]) * sy]; });
    var grid = {}, full = {};  /* full: a cell whose labels reached the cap (labels.py: a label there is not drawn) */
    function eachCell(b, fn) {
      for (var i = Math.floor(b[0] / CELL_W); i <= Math.floor(b[2] / CELL_W); i++) {
        for (var j = Math.floor(b[1] / CELL_H); j <= Math.floor(b[3] / CELL_H); j++) { fn(i + "," + j); }
      }
    }
    function put(b, owner) {
      var item = [b[0], b[1], b[2], b[3], owner];  /* one object in every cell it touches: near() keeps it once */
      eachCell(b, function (key) {
        var cell = grid[key] || (grid[key] = [[], []]), kept = cell[owner >= 0 ? 1 : 0];
        if (kept.length < CELL_CAP) { kept.push(item); }
        else if (owner >= 0) { full[key] = true; }
      });
    }
    function near(b) {  /* the boxes of b's cells, once each (a box in two cells is one box) */
      var seen = new Set(), out = [];
      eachCell(b, function (key) {
        var cell = grid[key];
        if (!cell) { return; }
        cell[0].concat(cell[1]).forEach(function (item) { if (!seen.has(item)) { seen.add(item); out.push(item); } });
      });
      return out;
    }
    function overlaps(b, others, own) {
      var marked = 0, hit = 0;
      others.forEach(function (o) {
        if (o[0] >= b[2] || o[2] <= b[0] || o[1] >= b[3] || o[3] <= b[1] || o[4] === own) { return; }
        var area = (Math.min(b[2], o[2]) - Math.max(b[0], o[0])) * (Math.min(b[3], o[3]) - Math.max(b[1], o[1]));
        if (o[4] >= 0) { hit += area; } else { marked += area; }
      });
      return [marked, hit];
    }
    function boxes(px, py, label) {
      var w = charPx * label.length + 4, h = textPx;
      return POSITIONS.map(function (pos) {
        var v = pos.split(" ")[0], hz = pos.split(" ")[1], x0;
        if (hz === "center") { x0 = px - w / 2; }
        else if (hz === "right") { x0 = v === "middle" ? px + 6 : px; }
        else { x0 = px - w - (v === "middle" ? 6 : 0); }
        var y0 = v === "top" ? py - 8 - h : v === "bottom" ? py + 8 : py - h / 2;
        return [x0, y0, x0 + w, y0 + h];
      });
    }
    function outside(b) {
      return (Math.max(0, -b[0]) + Math.max(0, b[2] - width)) * 16 + (Math.max(0, -b[1]) + Math.max(0, b[3] - height)) * 40;
    }
    notes.forEach(function (b, k) { put(b, points.length + k); });
    screen.forEach(function (s, i) { put([s[0] - 6, s[1] - 6, s[0] + 6, s[1] + 6], -1 - i); });
    var crowd = screen.map(function (s) { return near([s[0] - 60, s[1] - 20, s[0] + 60, s[1] + 20]).length; });
    var order = screen.map(function (_, i) { return i; }).sort(function (a, b) {
      return ((a !== first) - (b !== first)) || (crowd[b] - crowd[a]) || (a - b);
    });
    var chosen = screen.map(function () { return POSITIONS[0]; }), clash = screen.map(function () { return false; });
    order.forEach(function (i) {
      var s = screen[i], candidates = boxes(s[0], s[1], s[2]);
      var best = 0, bestCost = Infinity, bestClash = false;
      for (var rank = 0; rank < candidates.length; rank++) {
        if (bestCost <= rank * 0.5) { break; }  /* a later position costs at least its rank */
        var b = candidates[rank], o = overlaps(b, near(b), -1 - i), crowded = false;
        eachCell(b, function (key) { if (full[key]) { crowded = true; } });
        if (crowded) { o[1] += (b[2] - b[0]) * (b[3] - b[1]); }  /* among labels no longer kept: as if covered */
        var cost = outside(b) + rank * 0.5 + o[0] + 3 * o[1] + 40 * onSegment(b, seg);
        if (cost < bestCost) { best = rank; bestCost = cost; bestClash = o[1] > 0; }
      }
      var kept = candidates[best];
      if (points.length > CELL_CAP && !bestClash && i !== first) {  /* crowded: one that fits only by leaving the plot */
        bestClash = Math.max(0, -kept[0], kept[2] - width, -kept[1], kept[3] - height) > EDGE;
      }
      chosen[i] = POSITIONS[best]; clash[i] = bestClash;
      put(kept, i);
    });
    return { positions: chosen, clashes: clash };
  }

  function noteBox(text, charPx, textPx, width, height, topLeft) {  /* labels.py: note_box */
    var w = charPx * text.length + 6, h = textPx + 4;
    return topLeft ? [0, 0, w, h] : [width - w, height - h, width, height];
  }

  function shortLabel(name) {  /* value_map_chart.py: short_label — the first word when it is distinctive enough */
    var words = name.split(/\s+/).filter(Boolean), first = words.length ? words[0] : name;
    return first.length >= 4 && first !== name ? first : name;
  }

  function plainText(text) {  /* charts.py: plain — plotly.js shows it literally */
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/%/g, "&#37;");
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
    /* labels placed for the plot area a reader meets: a phone's (short names, smaller type) or a desktop's */
    var narrow = window.matchMedia("(max-width: 640px)").matches, area = AREAS[narrow ? "narrow" : "wide"];
    var firstWords = result.rows.map(function (r) { return shortLabel(r.c.name); }), seen = {};
    firstWords.forEach(function (w) { seen[w] = (seen[w] || 0) + 1; });
    var texts = result.rows.map(function (r, i) { return narrow && seen[firstWords[i]] === 1 ? firstWords[i] : r.c.name; });
    var notes = (fig.layout.annotations || []).map(function (note, k) {
      var shown = narrow && fig.layout.meta && fig.layout.meta.short_notes ? fig.layout.meta.short_notes[k] : note.text;
      return noteBox(shown, area[4], area[3], area[0], area[1], note.x === 0);  /* measured as value_map_chart.py does */
    });
    var ours = result.rows.findIndex(function (r) { return r.c.us; });
    var placed = placeLabels(result.rows.map(function (r, i) { return [r.rq, r.rp, texts[i]]; }), [x0, x1], [y0, y1],
                             area, [[x0, lineAt(line, x0)], [x1, lineAt(line, x1)]], notes, ours < 0 ? null : ours);
    result.rows.forEach(function (r, i) {
      r.textposition = placed.positions[i]; r.hidden = placed.clashes[i] && !r.c.us; r.text = plainText(texts[i]);
    });
    [[4, false], [5, true]].forEach(function (pair) {
      var sel = result.rows.filter(function (r) { return r.c.us === pair[1]; }), t = traces[pair[0]];
      t.x = sel.map(function (r) { return r.rq; });
      t.y = sel.map(function (r) { return r.rp; });
      t.text = sel.map(function (r) { return r.text; });
      t.textposition = sel.map(function (r) { return r.textposition; });
      var ink = typeof t.textfont.color === "string" ? t.textfont.color : "#1e293b";
      t.textfont = Object.assign({}, t.textfont, {
        color: sel.map(function (r) { return r.hidden ? "rgba(0, 0, 0, 0)" : ink; }),
        size: narrow ? 10 : t.textfont.size });
      t.customdata = sel.map(function (r) { return [fmt.number(r.rq), fmt.number(r.rp), fmt.valueForMoney(r.distance, data.method.band)]; });
      t.meta = { short: t.text };
      delete t.error_x; delete t.error_y; delete t.hovertext;
      var zones = fig.layout.meta && fig.layout.meta.zones;  /* competitors by zone, as value_map_chart.py draws them */
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
    if (narrow) {
      layout.margin = { l: 44, r: 8, t: 8, b: 48 };
      layout.font = Object.assign({}, layout.font, { size: 11 });
      if (layout.height && layout.height > 420) { layout.height = 440; }  /* as valuemap.js draws a map on a phone */
      if (layout.meta && layout.meta.short_notes && layout.annotations) {  /* the notes' short forms, as valuemap.js */
        layout.annotations = layout.annotations.map(function (note, k) {
          return layout.meta.short_notes[k] ? Object.assign({}, note, { text: layout.meta.short_notes[k] }) : note;
        });
      }
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

  /* A very large market's table: us, the top few and those ranked nearest to us, in rank order, each marked
     when companies were left out just before it (views/rankings.py: overview_selection, gaps_in). */
  function listed(rows, table) {
    if (!table) { return rows.map(function (r) { return { r: r, gap: false }; }); }
    var at = rows.findIndex(function (r) { return r.c.us; }), chosen = {}, count = 0;
    function take(i) { if (i >= 0 && i < rows.length && !chosen[i]) { chosen[i] = true; count += 1; } }
    if (at >= 0) { take(at); }
    for (var i = 0; i < Math.min(table.top, rows.length); i++) { take(i); }
    var from = at < 0 ? 0 : at;
    for (var d = 0; count < table.rows && (from - d >= 0 || from + d < rows.length); d++) {
      take(from - d);
      if (count < table.rows && d > 0) { take(from + d); }
    }
    var out = [], last = -1;
    rows.forEach(function (r, k) {
      if (chosen[k]) { out.push({ r: r, gap: k !== last + 1 }); last = k; }
    });
    return out;
  }

  function fillTable(tbody, result, data, fmt) {
    var s = data.strings;
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    listed(result.rows, data.table).forEach(function (item) {
      var r = item.r, tr = document.createElement("tr");
      var classes = (r.c.us ? ["us"] : []).concat(item.gap ? ["gap"] : []);
      if (classes.length) { tr.className = classes.join(" "); }
      tr.appendChild(cellOf("td", fmt.whole(r.rank), "num "));
      var name = document.createElement("th");  /* the row's header, as the server writes it */
      name.setAttribute("scope", "row");
      name.className = "";
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
      tr.appendChild(cellOf("td", fmt.valueForMoney(r.distance, data.method.band), "num " + tone(r.distance)));
      tr.appendChild(cellOf("td", r.ratio === null ? s.free : fmt.ratio(r.ratio), "num "));
      /* our estimate of a quote reads "≈€72", as the server writes it (views/common.py: asked) */
      var price = cellOf("td", (r.c.estimate ? "\u2248" : "") + fmt.money(r.c.price), "num ");
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
    set(0, s.rank_value.replace("{rank}", fmt.whole(us.rank)).replace("{count}", fmt.whole(result.rows.length)), null,
        us.rank === 1 ? "positive" : "");
    set(1, fmt.money(us.justified), null, "");
    set(2, fmt.signedMoney(us.headroom), s.headroom_detail.replace("{pct}", fmt.percent(us.headroomPct)),
        tone(us.headroom));
  }

  /* The block lists each field once, one value per company, in the ranking's tie-break order
     (views/weigh.py, _companies): one object per company, as the rest of this script reads them. */
  function companies(cols) {
    var estimated = {};
    (cols.estimate || []).forEach(function (i) { estimated[i] = true; });
    return cols.name.map(function (name, i) {
      var slug = cols.slug[i] === null ? name.toLowerCase().split(" ").join("-") : cols.slug[i];
      var href = Object.prototype.hasOwnProperty.call(cols.href, String(i)) ? cols.href[String(i)]
        : "competitors/" + slug + ".html";
      return { name: name, slug: slug, order: i, href: href, us: cols.us === i, price: cols.price[i],
               price_status: cols.price_status[i], estimate: estimated[i] === true,
               sums: cols.sums.map(function (d) { return d[i]; }),
               known: cols.known.map(function (d) { return d[i]; }) };
    });
  }

  /* --- the page --------------------------------------------------------------------------------------- */
  function init() {
    var source = document.getElementById("weigh-data");
    var panel = document.getElementById("weigh-sliders");
    if (!source || !panel) { return; }
    var block = JSON.parse(source.textContent), data = block.weigh;
    var prices = data.prices;
    data.companies = companies(data.companies);
    data.companies.forEach(function (c) {  /* what the page leaves out, as the server works it out */
      c.price_average = prices.comparison === "market" ? prices.total / prices.count
        : prices.count <= 1 ? c.price : (prices.total - c.price) / (prices.count - 1);
      c.relative_price = 100 * c.price / c.price_average;
    });
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

    var results = [figures, chart, document.getElementById("weigh-ranking")];
    function stale(on) {  /* every weight at zero: no ranking follows from them; the last one is greyed out */
      results.forEach(function (el) { if (el) { el.classList.toggle("weigh-stale", on); } });
    }

    function update(weights) {
      var total = fsum(weights);
      if (!(total > 0)) {
        message.textContent = data.strings.all_zero;
        outputs.forEach(function (el) { if (el) { el.textContent = "\u2014"; } });
        stale(true);
        document.body.setAttribute("data-weigh-state", "none");
        return;
      }
      message.textContent = "";
      stale(false);
      var shares = weights.map(function (w) { return w / total; });
      var texts = fmt.shares(shares);
      texts.forEach(function (text, i) { if (outputs[i]) { outputs[i].textContent = text; } });
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
    function published() { return data.dimensions.map(function (d) { return d.weight; }); }
    function isPublished() {  /* the sliders at the published weights (as numbers: 100 × 0.15 is 15.000000000000002) */
      return data.dimensions.every(function (d, i) { return Math.abs(Number(inputs[i].value) - 100 * d.weight) < 1e-9; });
    }
    /* The weights in the address (#usability=30&service=20): a link that opens the page with them. Only numbers
       are read from it; a dimension it leaves out weighs nothing. */
    function fromAddress() {
      var params = new URLSearchParams(window.location.hash.slice(1)), found = false;
      var weights = data.dimensions.map(function (d) {
        var text = params.get(d.id), value = text === null || text === "" ? NaN : Number(text);
        if (!isFinite(value) || value < 0) { return 0; }
        found = true;
        return Math.min(100, value);
      });
      return found ? weights : null;
    }
    function toAddress(weights) {
      var hash = weights === null ? "" : "#" + data.dimensions.map(function (d, i) {
        return encodeURIComponent(d.id) + "=" + String(weights[i]);  /* every digit: the link gives the same ranks */
      }).join("&");
      try { window.history.replaceState(null, "", window.location.pathname + window.location.search + hash); }
      catch (e) { /* an address that cannot change (some file:// pages): the sliders still work */ }
    }
    function reset() {
      data.dimensions.forEach(function (d, i) { inputs[i].value = String(100 * d.weight); });
      toAddress(null);
      update(published());
    }
    inputs.forEach(function (el) {
      el.addEventListener("input", function () { var w = fromSliders(); toAddress(w); update(w); });
    });
    document.getElementById("weigh-reset").addEventListener("click", reset);
    function start() {
      var linked = fromAddress();
      /* Back to the page: the address holds the weights left (the sliders are autocomplete="off": a browser
         that put them back after this ran would show them over the published results) */
      if (linked) { inputs.forEach(function (el, i) { el.value = String(linked[i]); }); update(fromSliders()); }
      else if (!isPublished()) { update(fromSliders()); }
      else { update(published()); }
    }
    start();
    window.addEventListener("hashchange", start);
  }

  /* plotly.js loads (deferred) after this script: start once everything has loaded */
  if (document.readyState === "complete") { init(); } else { window.addEventListener("load", init); }
})();
