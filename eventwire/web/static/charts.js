// Draws the charts described by <div data-chart><script type="application/json">...</script></div>.
// Time runs on a date axis: periods are placed by their dates, empty ones are in the data as
// zero, and each point's hover tells how many events stand behind it.
(function () {
  "use strict";
  var COOP = "#2c7a4b", CONF = "#b03a2e", INK = "#1f5f9e";
  var HOVER_DATE = { day: "%d %b %Y", week: "week of %d %b %Y", month: "%b %Y", year: "%Y" };
  function line(name, x, y, color, extra) {
    var t = { type: "scatter", mode: "lines+markers", name: name, x: x, y: y,
              line: { color: color }, marker: { size: 8, color: color } };
    for (var k in extra || {}) { t[k] = extra[k]; }
    return t;
  }
  function col(series, key) { return series.map(function (p) { return p[key]; }); }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function counted(series, key, word) {
    return series.map(function (p) { return plural(p[key], word); });
  }
  var EACH = "%{x}: %{text}<extra>%{fullData.name}</extra>";
  var builders = {
    timeline: function (c) {
      var x = col(c.series, "period");
      return [line("cooperation", x, col(c.series, "cooperation"), COOP,
                   { text: counted(c.series, "cooperation", "event"), hovertemplate: EACH }),
              line("conflict", x, col(c.series, "conflict"), CONF,
                   { text: counted(c.series, "conflict", "event"), hovertemplate: EACH }),
              line("all events", x, col(c.series, "events"), INK,
                   { line: { color: INK, dash: "dot" }, text: counted(c.series, "events", "event"),
                     hovertemplate: EACH })];
    },
    actor: function (c) {
      var x = col(c.series, "period");
      return [line("as source", x, col(c.series, "source"), INK,
                   { text: counted(c.series, "source", "event"), hovertemplate: EACH }),
              line("as target", x, col(c.series, "target"), "#8a5a00",
                   { text: counted(c.series, "target", "event"), hovertemplate: EACH })];
    },
    dyad: function (c) {
      var x = col(c.series, "period");
      var scoreText = c.series.map(function (p) {
        return p.score_mean === null ? "no scored happening"
          : "mean of " + plural(p.scored, "scored happening") + " (" + plural(p.total, "happening") + " in all)";
      });
      return [line("cooperation", x, col(c.series, "cooperation"), COOP,
                   { customdata: x, text: counted(c.series, "cooperation", "happening"), hovertemplate: EACH }),
              line("conflict", x, col(c.series, "conflict"), CONF,
                   { customdata: x, text: counted(c.series, "conflict", "happening"), hovertemplate: EACH }),
              line("mean score", x, col(c.series, "score_mean"), "#777",
                   { customdata: x, yaxis: "y2", line: { color: "#777", dash: "dot" },
                     marker: { size: 6, color: "#777" }, connectgaps: true, text: scoreText,
                     hovertemplate: "%{x}: %{y:+.1f}, %{text}<extra>mean score</extra>" })];
    }
  };
  function draw(el) {
    var spec = JSON.parse(el.querySelector("script[type='application/json']").textContent);
    var build = builders[spec.kind];
    if (!build || typeof Plotly === "undefined") { return; }
    var layout = { margin: { t: 20, r: 20, b: 40, l: 45 }, hovermode: "closest",
                   legend: { orientation: "h", y: -0.18 },
                   xaxis: { type: "date", hoverformat: HOVER_DATE[spec.by] || "%d %b %Y" },
                   yaxis: { rangemode: "tozero", title: { text: "events" } } };
    if (spec.by === "year") { layout.xaxis.dtick = "M12"; layout.xaxis.tickformat = "%Y"; }
    // counts are whole numbers: no 0.5 ticks on a small chart
    var top = Math.max.apply(null, build(spec).filter(function (t) { return !t.yaxis; })
      .map(function (t) { return Math.max.apply(null, t.y.concat([0])); }));
    if (top <= 8) { layout.yaxis.dtick = 1; }
    if (spec.kind === "dyad") {
      layout.yaxis.title.text = "happenings";
      layout.yaxis2 = { overlaying: "y", side: "right", range: [-10, 10], dtick: 5, title: { text: "score" },
                        zeroline: true, showgrid: false };
    }
    Plotly.newPlot(el, build(spec), layout, { displaylogo: false, responsive: true });
    if (spec.kind === "dyad") {
      el.on("plotly_click", function (ev) {
        var period = ev.points && ev.points[0] && ev.points[0].customdata;
        var target = period && document.getElementById("period-" + period);
        if (target) { target.scrollIntoView({ behavior: "smooth" }); }
      });
    }
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
