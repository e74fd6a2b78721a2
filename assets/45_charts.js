/* Charts for everyone (WCAG 2.1 AA):
   - every chart gets a "Show as table" button under it: a table built from the figure the chart draws (the same
     numbers: each trace's values by category, a pie's labels and values), kept current when the chart redraws;
   - charts whose bars can be clicked (a dcc.Graph with the class lp-keys-select or lp-keys-click) are operable
     by keyboard: Tab focuses the chart, the arrow keys move between bars (the bar's hover label shows it and a
     live region reads it), Enter or Space acts as a click (selectedData or clickData, so the page answers as to
     the mouse), Shift+Enter adds the bar to the selection, Escape clears it. */
(function () {
  "use strict";

  function fmt(v) {
    if (typeof v === "number") { return v.toLocaleString("en-US", {maximumFractionDigits: 2}); }
    return v === null || v === undefined ? "" : String(v);
  }

  function plotOf(graph) { return graph.querySelector(".js-plotly-plot"); }

  function traces(plot) {
    return (plot && plot.data ? plot.data : []).filter(function (t) { return t.visible !== false && t.visible !== "legendonly"; });
  }

  /* rows of [category, value per trace] from the figure */
  function tableData(plot) {
    var data = traces(plot);
    if (!data.length) { return null; }
    if (data[0].type === "pie") {
      var pie = data[0];
      return {head: ["", pie.name || "Value"],
              rows: (pie.labels || []).map(function (l, i) { return [l, (pie.values || [])[i]]; })};
    }
    if (data[0].type === "scatterpolar" || data[0].type === "barpolar") {
      var cats = data[0].theta || [];
      return {head: [""].concat(data.map(function (t, k) { return t.name || "Series " + (k + 1); })),
              rows: cats.map(function (c, i) { return [c].concat(data.map(function (t) { return (t.r || [])[i]; })); })};
    }
    var horizontal = data[0].orientation === "h";
    var order = [], seen = {};
    data.forEach(function (t) {
      (horizontal ? t.y : t.x || []).forEach(function (c) { var k = String(c); if (!seen[k]) { seen[k] = true; order.push(c); } });
    });
    var head = [""].concat(data.map(function (t, k) { return t.name || (data.length === 1 ? "Value" : "Series " + (k + 1)); }));
    var rows = order.map(function (c) {
      return [c].concat(data.map(function (t) {
        var cats = (horizontal ? t.y : t.x) || [], vals = (horizontal ? t.x : t.y) || [];
        for (var i = 0; i < cats.length; i++) { if (String(cats[i]) === String(c)) { return vals[i]; } }
        return "";
      }));
    });
    return {head: head, rows: rows};
  }

  function drawTable(graph, holder) {
    var built = tableData(plotOf(graph));
    holder.replaceChildren();
    if (!built || !built.rows.length) {
      holder.textContent = "No data in this chart.";
      return;
    }
    var table = document.createElement("table");
    table.className = "table table-sm lp-chart-table mb-2";
    var caption = document.createElement("caption");
    caption.textContent = (graph.getAttribute("aria-label") || "The chart") + ": the numbers it draws";
    table.appendChild(caption);
    var thead = table.createTHead().insertRow();
    built.head.forEach(function (h) { var th = document.createElement("th"); th.scope = "col"; th.textContent = fmt(h); thead.appendChild(th); });
    var body = table.createTBody();
    built.rows.forEach(function (r) {
      var tr = body.insertRow();
      r.forEach(function (v, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) { cell.scope = "row"; } else { cell.className = "text-end"; }
        cell.textContent = fmt(v);
        tr.appendChild(cell);
      });
    });
    holder.appendChild(table);
  }

  var counter = 0;
  function equip(graph) {
    if (graph.getAttribute("data-lp-equipped")) { return; }
    graph.setAttribute("data-lp-equipped", "1");
    var id = graph.id || ("lp-chart-" + (++counter));
    var holder = document.createElement("div");
    holder.className = "lp-chart-table-holder";
    holder.id = id + "-as-table";
    holder.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm p-0 lp-show-table";
    button.textContent = "Show as table";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", holder.id);
    button.addEventListener("click", function () {
      var open = holder.hidden;
      holder.hidden = !open;
      button.textContent = open ? "Hide table" : "Show as table";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) { drawTable(graph, holder); }
    });
    graph.insertAdjacentElement("afterend", holder);
    graph.insertAdjacentElement("afterend", button);
    var plot = plotOf(graph);
    if (plot && plot.on) {
      plot.on("plotly_afterplot", function () { if (!holder.hidden) { drawTable(graph, holder); } });
    }
    if (graph.classList.contains("lp-keys-select") || graph.classList.contains("lp-keys-click")) { keyboard(graph); }
  }

  function keyboard(graph) {
    graph.tabIndex = 0;
    graph.setAttribute("role", "group");
    graph.setAttribute("aria-roledescription", "bar chart");
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    graph.insertAdjacentElement("afterend", live);
    if (!graph.getAttribute("aria-label")) {
      graph.setAttribute("aria-label", "Chart: arrow keys move between bars, Enter or Space opens one");
    }
    var at = -1;

    function bars() {
      var t = traces(plotOf(graph))[0];
      if (!t) { return []; }
      var horizontal = t.orientation === "h";
      var cats = (horizontal ? t.y : t.x) || [], vals = (horizontal ? t.x : t.y) || [];
      return cats.map(function (c, i) {
        return {curveNumber: 0, pointNumber: i, pointIndex: i, x: t.x ? t.x[i] : undefined, y: t.y ? t.y[i] : undefined,
                customdata: t.customdata ? t.customdata[i] : undefined, label: c, value: vals[i]};
      });
    }

    function show(i) {
      var all = bars();
      if (!all.length) { return; }
      at = Math.max(0, Math.min(all.length - 1, i));
      var plot = plotOf(graph);
      if (window.Plotly && window.Plotly.Fx) { window.Plotly.Fx.hover(plot, [{curveNumber: 0, pointNumber: at}]); }
      live.textContent = fmt(all[at].label) + ": " + fmt(all[at].value) + " (" + (at + 1) + " of " + all.length + ")";
    }

    function act(add) {
      var all = bars();
      if (at < 0 || at >= all.length || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
      var point = all[at];
      if (graph.classList.contains("lp-keys-click")) {
        window.dash_clientside.set_props(graph.id, {clickData: {points: [point]}});
        return;
      }
      var plot = plotOf(graph);
      var chosen = (plot.data[0].selectedpoints || []).slice();
      var k = chosen.indexOf(at);
      var next;
      if (add) { next = k >= 0 ? chosen.filter(function (p) { return p !== at; }) : chosen.concat([at]); }
      else { next = chosen.length === 1 && k === 0 ? [] : [at]; }
      window.dash_clientside.set_props(graph.id, {selectedData: next.length ? {points: next.map(function (i) { return all[i]; })} : null});
    }

    graph.addEventListener("keydown", function (ev) {
      if (ev.target !== graph) { return; }
      var key = ev.key;
      if (key === "ArrowRight" || key === "ArrowDown") { show(at + 1); }
      else if (key === "ArrowLeft" || key === "ArrowUp") { show(at - 1); }
      else if (key === "Home") { show(0); }
      else if (key === "End") { show(bars().length - 1); }
      else if (key === "Enter" || key === " ") { if (at < 0) { show(0); } act(ev.shiftKey); }
      else if (key === "Escape") { if (graph.classList.contains("lp-keys-select")) { window.dash_clientside.set_props(graph.id, {selectedData: null}); } }
      else { return; }
      ev.preventDefault();
    });
    graph.addEventListener("focus", function () { if (at < 0) { show(0); } else { show(at); } });
    graph.addEventListener("blur", function () { if (window.Plotly && window.Plotly.Fx) { window.Plotly.Fx.unhover(plotOf(graph)); } });
  }

  function scan() {
    document.querySelectorAll(".dash-graph").forEach(function (graph) { if (plotOf(graph)) { equip(graph); } });
  }

  var pending = false;
  function soon() {
    if (pending) { return; }
    pending = true;
    window.setTimeout(function () { pending = false; scan(); }, 150);
  }

  function start() { scan(); new MutationObserver(soon).observe(document.body, {childList: true, subtree: true}); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
