// spinecoach progress charts (Chart.js, served by the app). Data comes from data-* attributes
// written by the server, so no inline script is needed (strict Content Security Policy).
"use strict";

function lineChart(canvas, labels, datasets, yMax) {
  if (!canvas || typeof Chart === "undefined") return;
  new Chart(canvas, {
    type: "line",
    data: { labels, datasets },
    options: {
      animation: false,
      spanGaps: true,
      scales: { y: { min: 0, max: yMax } },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("course-chart");
  if (!holder) return;
  const data = JSON.parse(holder.dataset.chart || "{}");
  const outcomes = JSON.parse(holder.dataset.outcomes || "[]");
  const forPatient = holder.dataset.audience === "patient"; // plain words, no "MCID"
  lineChart(document.getElementById("chart-pain"), data.days,
    [{ label: "Pain", data: data.pain, borderColor: "#a4161a", pointRadius: 2 }], 10);
  lineChart(document.getElementById("chart-quality"), data.days,
    [{ label: "Good repetitions (%)", data: data.quality, borderColor: "#0b5cad", pointRadius: 2 }], 100);
  const adherence = document.getElementById("chart-adherence");
  if (adherence && typeof Chart !== "undefined") {
    new Chart(adherence, {
      type: "bar",
      data: { labels: data.weeks, datasets: [{ label: "Planned days done (%)", data: data.adherence, backgroundColor: "#2d8a4e" }] },
      options: { animation: false, scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
    });
  }
  const area = document.getElementById("chart-outcomes");
  for (const series of outcomes) {
    const figure = document.createElement("figure");
    figure.className = "card";
    const caption = document.createElement("figcaption");
    const way = series.lower_is_better ? "lower" : "higher";
    const band = !series.mcid ? ""
      : forPatient ? ` — dashed line: ${series.mcid} points ${way} than at the start, a change most people notice`
        : ` — dashed line: baseline ${series.lower_is_better ? "minus" : "plus"} the MCID (${series.mcid})`;
    caption.textContent = `${series.name}${band}`;
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${series.name}: ${series.scores.join(", ")}`);
    figure.append(caption, canvas);
    area.append(figure);
    const sets = [{ label: forPatient ? "your score" : series.id.toUpperCase(), data: series.scores, borderColor: "#0b5cad" }];
    if (series.mcid) {
      const target = series.scores[0] + (series.lower_is_better ? -series.mcid : series.mcid);
      sets.push({ label: forPatient ? "a change most people notice" : "MCID", data: series.scores.map(() => target), borderColor: "#2d8a4e", borderDash: [6, 4], pointRadius: 0 });
    }
    lineChart(canvas, series.dates, sets, series.range[1]);
  }
});
