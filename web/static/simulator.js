// The simulator: a phone on screen. The server signs each step as Twilio would and answers with
// the hotline's TwiML; this script follows it: Say, Gather, Redirect, Dial, Record, Hangup.
"use strict";
(function () {
  const box = document.querySelector(".simulator");
  if (!box) return;
  const $ = (selector) => box.querySelector(selector);
  const keys = box.querySelectorAll("[data-key]");
  const words = $("#words");
  const sayButton = $("[data-say-form] button[type=submit]");
  const silence = $("[data-silence]");
  let path = null; // where the current answer came from
  let waiting = null; // {action, redirect} while a Gather waits for the caller

  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.token },
      body: JSON.stringify(payload),
      credentials: "same-origin",
    });
    return response.json();
  }

  function hear(text, lang) {
    const item = document.createElement("li");
    item.textContent = text;
    if (lang) item.lang = lang.slice(0, 2);
    $("[data-transcript]").append(item);
    if ($("[data-speak]").checked && "speechSynthesis" in window) {
      const utterance = new SpeechSynthesisUtterance(text);
      if (lang) utterance.lang = lang;
      utterance.rate = 0.9;
      speechSynthesis.speak(utterance);
    }
  }

  function state(text) {
    $("[data-state]").textContent = text;
  }

  function ready(on) {
    for (const key of keys) key.disabled = !on;
    words.disabled = sayButton.disabled = silence.disabled = !on;
  }

  function spoken(element) {
    return Array.from(element.querySelectorAll("Say")).map((say) => [say.textContent.replace(/\s+/g, " ").trim(), say.getAttribute("language")]);
  }

  async function step(target, inputs) {
    ready(false);
    waiting = null;
    const answer = await post(box.dataset.voice, { path: target, inputs: inputs || {} });
    if (answer.status !== 200) {
      state(box.dataset.failed + " (HTTP " + answer.status + ")");
      return hangUp();
    }
    path = answer.path;
    follow(new DOMParser().parseFromString(answer.twiml, "text/xml").documentElement);
  }

  function url(relative) {
    return new URL(relative, "http://hotline" + path).pathname + new URL(relative, "http://hotline" + path).search;
  }

  function follow(twiml) {
    for (const [text, lang] of spoken(twiml)) hear(text, lang);
    const gather = twiml.querySelector("Gather");
    const redirect = twiml.querySelector(":scope > Redirect");
    const record = twiml.querySelector("Record");
    const dial = twiml.querySelector("Dial");
    if (gather) {
      waiting = { action: url(gather.getAttribute("action")), redirect: redirect ? url(redirect.textContent.trim()) : null };
      ready(true);
    } else if (record) {
      $("[data-record]").hidden = false;
      $("[data-record]").dataset.action = url(record.getAttribute("action"));
      $("[data-record]").dataset.nothing = redirect ? url(redirect.textContent.trim()) : "";
      $("#message").focus();
    } else if (dial) {
      $("[data-dial]").hidden = false;
      $("[data-dial]").dataset.action = url(dial.getAttribute("action"));
    } else if (redirect) {
      step(url(redirect.textContent.trim()), {});
    } else {
      hangUp();
    }
  }

  function hangUp() {
    ready(false);
    waiting = null;
    $("[data-dial]").hidden = $("[data-record]").hidden = true;
    $("[data-call]").disabled = false;
    $("[data-hang-up]").disabled = true;
    state(box.dataset.ended);
  }

  function press(key) {
    if (waiting) step(waiting.action, { Digits: key });
  }

  $("[data-call]").addEventListener("click", () => {
    $("[data-transcript]").replaceChildren();
    $("[data-call]").disabled = true;
    $("[data-hang-up]").disabled = false;
    state(box.dataset.connected);
    step("/voice", {});
  });
  $("[data-hang-up]").addEventListener("click", () => {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    hangUp();
  });
  for (const key of keys) key.addEventListener("click", () => press(key.dataset.key));
  document.addEventListener("keydown", (event) => {
    if (waiting && "0123456789*#".includes(event.key) && event.key.length === 1 && event.target.tagName !== "INPUT" && event.target.tagName !== "TEXTAREA") {
      event.preventDefault();
      press(event.key);
    }
  });
  $("[data-say-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    if (waiting && words.value.trim()) {
      step(waiting.action, { SpeechResult: words.value.trim(), Confidence: "0.9" });
      words.value = "";
    }
  });
  silence.addEventListener("click", () => {
    if (waiting && waiting.redirect) step(waiting.redirect, {});
  });
  for (const button of box.querySelectorAll("[data-outcome]")) {
    button.addEventListener("click", () => {
      $("[data-dial]").hidden = true;
      step($("[data-dial]").dataset.action, { DialCallStatus: button.dataset.outcome });
    });
  }
  $("[data-record]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = $("[data-record]");
    const text = $("#message").value.trim();
    form.hidden = true;
    $("#message").value = "";
    if (text) step(form.dataset.action, { RecordingDuration: String(Math.max(1, text.split(/\s+/).length)) });
    else if (form.dataset.nothing) step(form.dataset.nothing, {});
  });
  $("[data-skip]").addEventListener("click", () => {
    const form = $("[data-record]");
    form.hidden = true;
    if (form.dataset.nothing) step(form.dataset.nothing, {});
  });

  // SMS: what the texter sends, the hotline's answers, and what its outbox sends later.
  let lastSeen = 0; // the newest outbox message already shown
  function bubble(text, mine) {
    const item = document.createElement("li");
    item.className = mine ? "mine" : "theirs";
    item.textContent = text;
    $("[data-chat]").append(item);
  }
  $("[data-sms-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#sms-body");
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    bubble(body, true);
    const answer = await post(box.dataset.sms, { body });
    for (const reply of answer.replies || []) bubble(reply, false);
  });
  // Only what arrives while the page is open: start after the newest message sent so far.
  (async () => {
    const response = await fetch(box.dataset.messages + "?after=latest", { credentials: "same-origin" });
    lastSeen = response.ok ? (await response.json()).latest : 0;
    setTimeout(collectLater, 2000);
  })();
  async function collectLater() {
    const response = await fetch(box.dataset.messages + "?after=" + lastSeen, { credentials: "same-origin" });
    if (response.ok) {
      for (const message of (await response.json()).messages) {
        bubble(message.body, false);
        lastSeen = Math.max(lastSeen, message.id);
      }
    }
    setTimeout(collectLater, 2000);
  }
})();
