/* Station check-ins by hour of the day (staff usage page), drawn with the vendored ECharts from
   the JSON element #station-usage-hours; the same figures are in the table beside it. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("station-usage-chart");
    var source = document.getElementById("station-usage-hours");
    if (!element || !source || typeof echarts === "undefined") { return; }
    var counts = JSON.parse(source.textContent);
    var hours = counts.map(function (_, hour) { return (hour < 10 ? "0" : "") + hour + ":00"; });
    var chart = echarts.init(element);
    chart.setOption({
      color: ["#c8102e"],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "category", data: hours },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: element.dataset.label, type: "bar", data: counts }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
