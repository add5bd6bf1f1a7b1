// The announcement preview: asks the server what the texts become in every language (the same
// code that sends the SMS counts them, and decides what a language without its own text gets),
// and reads the spoken version aloud with the browser's speech synthesis.
"use strict";
(function () {
  const form = document.querySelector("form[data-preview]");
  if (!form) return;
  const token = form.querySelector("input[name=csrf_token]").value;
  const fieldsets = form.querySelectorAll("fieldset[data-language]");
  let latest = 0;

  function show(fieldset, result) {
    const out = (name) => fieldset.querySelector("[data-out=" + name + "]");
    out("gets").textContent = result.gets;
    out("sms").querySelector("[data-part=sent]").textContent = result.sms || "–";
    const cut = out("sms").querySelector("[data-part=cut]");
    cut.textContent = result.cut;
    cut.hidden = !result.cut;
    out("too-long").textContent = result.too_long;
    out("too-long").hidden = !result.too_long;
    out("characters").textContent = result.sms ? result.characters : "–";
    out("segments").textContent = result.sms ? result.segments : "–";
    out("encoding").textContent = result.sms ? result.encoding : "–";
    out("changes").textContent = result.changes.length ? result.changes.join("; ") : "–";
    out("spoken").textContent = result.spoken || "–";
    fieldset.dataset.spoken = result.spoken;
  }

  async function update() {
    const asked = ++latest;
    const response = await fetch(form.dataset.preview, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    if (!response.ok || asked !== latest) return;
    const results = await response.json();
    for (const fieldset of fieldsets) show(fieldset, results[fieldset.dataset.language]);
  }

  function listen(fieldset) {
    if (!("speechSynthesis" in window)) return;
    const utterance = new SpeechSynthesisUtterance(fieldset.dataset.spoken || "");
    utterance.lang = fieldset.dataset.speech;
    utterance.rate = 0.9; // the hotline speaks at 90 %
    const voice = speechSynthesis.getVoices().find((v) => v.lang === utterance.lang);
    if (voice) utterance.voice = voice;
    speechSynthesis.cancel();
    speechSynthesis.speak(utterance);
  }

  // Every language's preview may change with any text (an empty language gets the first one's)
  // and with the rule for languages without their own text.
  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  for (const fieldset of fieldsets) {
    fieldset.querySelector("[data-listen]").addEventListener("click", async () => {
      await update();
      listen(fieldset);
    });
  }
  update();
})();
