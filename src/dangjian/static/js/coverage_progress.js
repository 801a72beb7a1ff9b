/* The campaign's progress charts (measure 4), drawn with the vendored ECharts.
 * Data: the JSON script element #coverage-progress-data (json_script), built by
 * coverage/progress.py chart_data(). Every bar and point drills down to the coverage list of its
 * group; nothing inline, so the page keeps its strict CSP. */
(function () {
  "use strict";

  var COLOURS = { org: "#c8102e", work: "#f0a30a", none: "#adb5bd", orgRate: "#c8102e", workRate: "#f0a30a" };
  var GROUP_COLOURS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22"];

  function go(url) {
    if (url) window.location.href = url;
  }

  function bars(element, data) {
    var chart = echarts.init(element);
    var labels = data.groups.map(function (g) { return g.label; });
    var keys = ["org", "work", "none"];
    chart.setOption({
      color: [COLOURS.org, COLOURS.work, COLOURS.none],
      // Tooltips drawn on the canvas: HTML tooltips carry inline styles, which the CSP blocks.
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", name: data.text.units, minInterval: 1 },
      series: keys.map(function (key) {
        return {
          name: data.text[key],
          type: "bar",
          stack: "units",
          cursor: "pointer",
          data: data.groups.map(function (g) { return g[key]; })
        };
      })
    });
    chart.on("click", function (params) {
      var group = data.groups[params.dataIndex];
      if (group) go(group.urls[keys[params.seriesIndex]]);
    });
    return chart;
  }

  function trend(element, data) {
    var chart = echarts.init(element);
    var series = [
      {
        name: data.text.org_rate, type: "line", data: data.total.org_rate, url: data.total.url,
        lineStyle: { width: 3 }, symbolSize: 8, color: COLOURS.orgRate
      },
      {
        name: data.text.work_rate, type: "line", data: data.total.work_rate, url: data.total.url,
        lineStyle: { width: 3, type: "dashed" }, symbolSize: 8, color: COLOURS.workRate
      }
    ];
    data.trend.forEach(function (group, i) {
      series.push({
        name: group.label, type: "line", data: group.org_rate, url: group.url,
        lineStyle: { width: 1 }, symbolSize: 5, color: GROUP_COLOURS[i % GROUP_COLOURS.length]
      });
    });
    chart.setOption({
      tooltip: { trigger: "item", renderMode: "richText", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.months, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: series.map(function (s) {
        return {
          name: s.name, type: s.type, data: s.data, connectNulls: false, cursor: "pointer",
          lineStyle: s.lineStyle, symbolSize: s.symbolSize, itemStyle: { color: s.color }, color: s.color
        };
      })
    });
    chart.on("click", function (params) {
      var s = series[params.seriesIndex];
      if (s) go(s.url);
    });
    return chart;
  }

  function start() {
    var source = document.getElementById("coverage-progress-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    var barsElement = document.getElementById("coverage-bars");
    var trendElement = document.getElementById("coverage-trend");
    if (barsElement) charts.push(bars(barsElement, data));
    if (trendElement) charts.push(trend(trendElement, data));
    // Once drawn (animations done), say so: browser tests click the bars then.
    charts.forEach(function (c) {
      c.on("finished", function () { c.getDom().dataset.rendered = "1"; });
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
