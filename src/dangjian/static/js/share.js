/* The members' share charts (measure 5), drawn with the vendored ECharts.
 * Data: the JSON script element #share-data (json_script), built by membership/share.py
 * chart_data(). Nothing inline, so the page keeps its strict CSP. */
(function () {
  "use strict";

  var RED = "#c8102e";
  var GREY = "#adb5bd";

  function trend(element, data) {
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: data.trend.months },
      yAxis: [
        { type: "value", name: data.text.workers, minInterval: 1 },
        { type: "value", name: "%", min: 0, axisLabel: { formatter: "{value}%" } }
      ],
      series: [
        { name: data.text.workers, type: "bar", data: data.trend.workers, color: GREY },
        { name: data.text.members, type: "bar", data: data.trend.members, color: "#f0a30a" },
        {
          name: data.text.share, type: "line", yAxisIndex: 1, data: data.trend.share,
          color: RED, lineStyle: { width: 3 }, symbolSize: 7
        }
      ]
    });
    return chart;
  }

  function groups(element, data, key) {
    var group = data.groups[key] || { labels: [], share: [] };
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: group.labels, inverse: true },
      series: [{ name: data.text.share, type: "bar", data: group.share, color: RED, label: { show: true, position: "right", formatter: "{c}%" } }]
    });
    return chart;
  }

  function start() {
    var source = document.getElementById("share-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    var trendElement = document.getElementById("share-trend");
    if (trendElement) charts.push(trend(trendElement, data));
    var streetElement = document.getElementById("share-streets");
    if (streetElement) charts.push(groups(streetElement, data, "street"));
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
