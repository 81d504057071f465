/* The dashboards' enhancements. Plain JavaScript; every page works without it (the period form has
 * a submit button, and every chart's numbers are in the table below it).
 *  - [data-autosubmit] forms submit when a select changes;
 *  - the trends page draws its charts (Chart.js, served from static/vendor) from the JSON in
 *    #trend-data and the labels in #trend-labels. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  var dataNode = document.getElementById("trend-data");
  if (!dataNode || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var text = JSON.parse(document.getElementById("trend-labels").textContent);
  var Chart = window.Chart;

  var css = getComputedStyle(document.documentElement);
  function color(name, fallback) {
    var value = css.getPropertyValue(name).trim();
    return value || fallback;
  }
  var wall = document.body.classList.contains("wall-mode");
  var ink = wall ? "#e8edf5" : color("--ink", "#1d2330");
  var grid = wall ? "rgba(255,255,255,.12)" : "rgba(29,35,48,.08)";
  var blue = wall ? "#6ea8ff" : color("--blue", "#1f3d7a");
  var red = wall ? "#ff6b6b" : color("--red", "#b3121b");
  var green = wall ? "#3ddc84" : color("--ok", "#1d7a3a");
  var amber = wall ? "#ffc247" : "#c77700";

  Chart.defaults.font.family = css.fontFamily || "sans-serif";
  Chart.defaults.font.size = wall ? 18 : 13;
  Chart.defaults.color = ink;

  function pct(value) {
    if (value === null || value === undefined) {
      return text.no_data;
    }
    return (Math.round(value * 100) / 100).toString() + "%";
  }

  var common = {
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 10 } },
      tooltip: { padding: 10 },
    },
    scales: {
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } },
    },
  };

  var ratesCanvas = document.getElementById("chart-rates");
  if (ratesCanvas) {
    new Chart(ratesCanvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          {
            label: text.attendance_rate,
            data: data.attendance_rate,
            borderColor: blue,
            backgroundColor: blue,
            borderWidth: 2.5,
            pointRadius: 2.5,
            tension: 0.2,
            spanGaps: false,
          },
          {
            label: text.principal_share,
            data: data.principal_share,
            borderColor: amber,
            backgroundColor: amber,
            borderWidth: 2,
            pointRadius: 2,
            tension: 0.2,
            spanGaps: false,
          },
          {
            label: text.target,
            data: data.labels.map(function () { return 100; }),
            borderColor: green,
            borderDash: [6, 5],
            borderWidth: 1.5,
            pointRadius: 0,
            pointHoverRadius: 0,
          },
        ],
      },
      options: Object.assign({}, common, {
        layout: { padding: { top: 8 } },
        clip: false,
        scales: Object.assign({}, common.scales, {
          y: {
            min: 0,
            max: 100,
            grid: { color: grid },
            title: { display: true, text: text.rate_axis },
            ticks: { stepSize: 20, callback: function (v) { return v + "%"; } },
          },
        }),
        plugins: Object.assign({}, common.plugins, {
          tooltip: {
            padding: 10,
            filter: function (item) { return item.datasetIndex !== 2; },
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + "：" + pct(ctx.raw); },
              afterBody: function (items) {
                var i = items[0].dataIndex;
                return text.obligations + " " + data.obligations[i] + " " + text.cases_unit;
              },
            },
          },
        }),
      }),
    });
  }

  var casesCanvas = document.getElementById("chart-cases");
  if (casesCanvas) {
    new Chart(casesCanvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "line",
            label: text.loss_rate,
            data: data.loss_rate,
            yAxisID: "rate",
            borderColor: red,
            backgroundColor: red,
            borderWidth: 2.5,
            pointRadius: 2.5,
            tension: 0.2,
            spanGaps: false,
            order: 0,
          },
          {
            type: "bar",
            label: text.cases_filed,
            data: data.cases_filed,
            yAxisID: "count",
            backgroundColor: wall ? "rgba(110,168,255,.45)" : "rgba(31,61,122,.28)",
            borderColor: blue,
            borderWidth: 0,
            borderRadius: 2,
            order: 1,
          },
        ],
      },
      options: Object.assign({}, common, {
        scales: Object.assign({}, common.scales, {
          count: {
            position: "left",
            beginAtZero: true,
            grid: { color: grid },
            title: { display: true, text: text.count_axis },
            ticks: { precision: 0 },
          },
          rate: {
            position: "right",
            beginAtZero: true,
            suggestedMax: 20,
            grid: { display: false },
            title: { display: true, text: text.loss_rate + "（%）" },
            ticks: { callback: function (v) { return v + "%"; } },
          },
        }),
        plugins: Object.assign({}, common.plugins, {
          tooltip: {
            padding: 10,
            callbacks: {
              label: function (ctx) {
                if (ctx.dataset.yAxisID === "rate") {
                  return ctx.dataset.label + "：" + pct(ctx.raw);
                }
                return ctx.dataset.label + "：" + ctx.raw + " " + text.cases_unit;
              },
              afterBody: function (items) {
                var i = items[0].dataIndex;
                return text.concluded + " " + data.concluded[i] + " " + text.cases_unit;
              },
            },
          },
        }),
      }),
    });
  }
})();
