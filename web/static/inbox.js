// The inbox: a voice message typed in the simulator has no recording; the browser reads its text
// aloud in the message's language instead. Where the browser cannot speak, the note stays.
"use strict";
(function () {
  if (!("speechSynthesis" in window)) return;
  for (const button of document.querySelectorAll("[data-read-aloud]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(button.dataset.text);
      utterance.lang = button.dataset.lang;
      utterance.rate = 0.9;
      speechSynthesis.speak(utterance);
    });
  }
})();
