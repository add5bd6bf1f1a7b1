// The broadcast progress: asks for the figures every two seconds and shows them.
"use strict";
(function () {
  const box = document.querySelector("[data-progress]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const finished = box.querySelector("[data-finished]");

  async function refresh() {
    const response = await fetch(box.dataset.progress, { credentials: "same-origin" });
    if (response.ok) {
      const figures = await response.json();
      for (const [name, value] of Object.entries(figures)) {
        const out = box.querySelector("[data-figure=" + name + "]");
        if (out) out.textContent = value;
      }
      bar.value = figures.percent;
      bar.textContent = figures.percent + " %";
      finished.hidden = figures.waiting > 0;
    }
    // Delivery reports keep arriving after the last message left; keep watching a while.
    setTimeout(refresh, 2000);
  }
  setTimeout(refresh, 1000);
})();
