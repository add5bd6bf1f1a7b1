// The announcement preview: asks the server what the texts become (the same code that sends the
// SMS counts them), and reads the spoken version aloud with the browser's speech synthesis.
"use strict";
(function () {
  const form = document.querySelector("form[data-preview]");
  if (!form) return;
  const token = form.querySelector("input[name=csrf_token]").value;
  const latest = {};

  function fields(fieldset) {
    const code = fieldset.dataset.language;
    const values = new FormData();
    for (const name of ["title", "body", "spoken", "sms"]) {
      values.append(name, form.elements[name + "_" + code].value);
    }
    return values;
  }

  function show(fieldset, result) {
    const out = (name) => fieldset.querySelector("[data-out=" + name + "]");
    out("sms").textContent = result.sms || "–";
    out("characters").textContent = result.characters;
    out("segments").textContent = result.segments;
    out("encoding").textContent = result.written_encoding === result.encoding
      ? result.encoding
      : result.written_encoding + " → " + result.encoding;
    out("replaced").textContent = result.replaced.length
      ? result.replaced.map((pair) => pair[0] + " → " + (pair[1] || "∅")).join(", ")
      : "–";
    out("forcing").textContent = result.forcing_ucs2.length ? result.forcing_ucs2.join(" ") : "–";
    out("spoken").textContent = result.spoken || "–";
  }

  async function update(fieldset) {
    const code = fieldset.dataset.language;
    const asked = (latest[code] = (latest[code] || 0) + 1);
    const response = await fetch(form.dataset.preview, {
      method: "POST",
      body: fields(fieldset),
      headers: { "X-CSRFToken": token },
      credentials: "same-origin",
    });
    if (!response.ok || asked !== latest[code]) return;
    const result = await response.json();
    fieldset.dataset.spoken = result.spoken;
    show(fieldset, result);
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

  for (const fieldset of form.querySelectorAll("fieldset[data-language]")) {
    let timer;
    fieldset.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => update(fieldset), 200);
    });
    fieldset.querySelector("[data-listen]").addEventListener("click", async () => {
      await update(fieldset);
      listen(fieldset);
    });
    update(fieldset);
  }
})();
