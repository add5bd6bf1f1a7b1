// The broadcast progress: asks for the figures every two seconds and shows them.
"use strict";
(function () {
  const box = document.querySelector("[data-progress]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const finished = box.querySelector("[data-finished]");
  // Counts as staff read them ("1.234"), in the page's language.
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined);

  async function refresh() {
    const response = await fetch(box.dataset.progress, { credentials: "same-origin" });
    if (response.ok) {
      const figures = await response.json();
      for (const [name, value] of Object.entries(figures)) {
        const out = box.querySelector("[data-figure=" + name + "]");
        if (out) out.textContent = name === "percent" ? value : number.format(value);
      }
      bar.value = figures.percent;
      bar.textContent = figures.percent + " %";
      // Calls still to ring (waiting, ringing, to be tried again) count as much as SMS still to leave.
      finished.hidden = figures.left > 0;
    }
    // Delivery reports keep arriving after the last message left, and calls ring in their calling
    // times, perhaps days later: keep watching.
    setTimeout(refresh, 2000);
  }
  setTimeout(refresh, 1000);
})();
