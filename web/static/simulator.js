// The simulator: a phone on screen. The server signs each step as the provider would and reads the
// hotline's answer back: what is said, and what the caller may do next (keys or words, a message,
// the staff phone's outcome), or where the call goes on by itself. This script follows that.
"use strict";
(function () {
  const box = document.querySelector(".simulator");
  if (!box) return;
  const $ = (selector) => box.querySelector(selector);
  const keys = box.querySelectorAll("[data-key]");
  const words = $("#words");
  const sayButton = $("[data-say-form] button[type=submit]");
  const silence = $("[data-silence]");
  let waiting = null; // {action, otherwise} while the hotline waits for a key or words
  let inCall = false; // a call is under way (the visitor's, or the city's news call)
  let newsCall = false; // the call under way is a news call the visitor answered

  async function post(url, payload) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.token },
      body: JSON.stringify(payload),
      credentials: "same-origin",
    });
    return response.json();
  }

  // A line of the conversation; the newest is scrolled into view.
  function line(text, who, lang) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    // The hotline speaks the caller's language, which need not be the page's: say which it is, and
    // let the browser find its direction (an Arabic prompt in a German page reads right to left).
    if (lang) item.lang = lang;
    item.dir = "auto";
    $("[data-transcript]").append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  // "Hello. Press 1." as two lines, as a listener hears two sentences.
  function sentences(text, lang) {
    if ("Segmenter" in Intl) {
      const segmenter = new Intl.Segmenter(lang || undefined, { granularity: "sentence" });
      return Array.from(segmenter.segment(text), (part) => part.segment.trim()).filter(Boolean);
    }
    return text.split(/(?<=[.!?])\s+/).filter(Boolean);
  }

  function hear(text, lang) {
    for (const sentence of sentences(text, lang)) line(sentence, "hotline", lang);
    if ($("[data-speak]").checked && "speechSynthesis" in window) {
      const utterance = new SpeechSynthesisUtterance(text);
      if (lang) utterance.lang = lang;
      utterance.rate = 0.9;
      speechSynthesis.speak(utterance);
    }
  }

  // What the caller did, in the conversation: "You: 1", "You say: help", "You stay silent."
  function caller(template, value) {
    line(template.replace(/%\(\w+\)s/, () => value || ""), "caller");
  }

  function state(text) {
    $("[data-state]").textContent = text;
  }

  function ready(on) {
    for (const key of keys) key.disabled = !on;
    words.disabled = sayButton.disabled = silence.disabled = !on;
  }

  async function step(target, inputs) {
    ready(false);
    waiting = null;
    const answer = await post(box.dataset.voice, { path: target, inputs: inputs || {} });
    if (answer.status !== 200) {
      state(box.dataset.failed + " (HTTP " + answer.status + ")");
      return hangUp();
    }
    follow(answer);
  }

  function follow(answer) {
    for (const [text, lang] of answer.said) hear(text, lang);
    if (answer.waits_for === "keys") {
      waiting = { action: answer.action, otherwise: answer.otherwise };
      ready(true);
    } else if (answer.waits_for === "message") {
      $("[data-record]").hidden = false;
      $("[data-record]").dataset.action = answer.action;
      $("[data-record]").dataset.nothing = answer.otherwise || "";
      $("#message").focus();
    } else if (answer.waits_for === "person") {
      $("[data-dial]").hidden = false;
      $("[data-dial]").dataset.action = answer.action;
    } else if (answer.otherwise) {
      step(answer.otherwise, {});
    } else {
      hangUp();
    }
  }

  function hangUp() {
    ready(false);
    waiting = null;
    inCall = false;
    if (newsCall) {
      newsCall = false;
      post(box.dataset.hungUp, {}); // the city's report: the call was answered and is over
    }
    $("[data-dial]").hidden = $("[data-record]").hidden = true;
    $("[data-call]").disabled = false;
    $("[data-hang-up]").disabled = true;
    state(box.dataset.ended);
  }

  function press(key) {
    if (!waiting) return;
    caller(box.dataset.pressed, key);
    step(waiting.action, { key });
  }

  function connect() {
    $("[data-ring]").hidden = true;
    $("[data-transcript]").replaceChildren();
    $("[data-call]").disabled = true;
    $("[data-hang-up]").disabled = false;
    inCall = true;
    state(box.dataset.connected);
  }

  $("[data-call]").addEventListener("click", () => {
    connect();
    step("/voice", {});
  });

  // The city calls (a news call to this phone): the phone rings until the visitor answers or
  // declines, or the server says it rang out.
  // A visitor's answer or decline makes a ringing reply asked for before it stale: it is not shown.
  let handled = 0;
  async function listenForRinging() {
    try {
      if (!inCall) {
        const asked = handled;
        const response = await fetch(box.dataset.ringing, { credentials: "same-origin" });
        const ringing = response.ok && (await response.json()).ringing;
        if (response.ok && !inCall && asked === handled) $("[data-ring]").hidden = !ringing;
      }
    } finally {
      setTimeout(listenForRinging, 2000); // a server that did not answer once is asked again
    }
  }
  setTimeout(listenForRinging, 1000);
  $("[data-answer-call]").addEventListener("click", async () => {
    handled += 1;
    connect();
    const answer = await post(box.dataset.answer, {});
    if (answer.status !== 200) {
      hangUp();
      return state(box.dataset.missed);
    }
    newsCall = true;
    follow(answer);
  });
  $("[data-decline-call]").addEventListener("click", async () => {
    handled += 1;
    $("[data-ring]").hidden = true;
    await post(box.dataset.decline, {});
    state(box.dataset.declined);
  });
  $("[data-hang-up]").addEventListener("click", () => {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    hangUp();
  });
  for (const key of keys) key.addEventListener("click", () => press(key.dataset.key));
  // An Arabic or Persian keyboard types ١ or ۱ where a German one types 1: the same key of the keypad.
  function keypadKey(typed) {
    const code = typed.length === 1 ? typed.charCodeAt(0) : 0;
    if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
    if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
    return typed;
  }
  document.addEventListener("keydown", (event) => {
    const key = keypadKey(event.key);
    if (waiting && "0123456789*#".includes(key) && key.length === 1 && event.target.tagName !== "INPUT" && event.target.tagName !== "TEXTAREA") {
      event.preventDefault();
      press(key);
    }
  });
  $("[data-say-form]").addEventListener("submit", (event) => {
    event.preventDefault();
    if (waiting && words.value.trim()) {
      caller(box.dataset.said, words.value.trim());
      step(waiting.action, { words: words.value.trim() });
      words.value = "";
    }
  });
  silence.addEventListener("click", () => {
    if (waiting && waiting.otherwise) {
      caller(box.dataset.silent);
      step(waiting.otherwise, {});
    }
  });
  for (const button of box.querySelectorAll("[data-outcome]")) {
    button.addEventListener("click", () => {
      $("[data-dial]").hidden = true;
      caller(button.textContent.trim());
      step($("[data-dial]").dataset.action, { outcome: button.dataset.outcome });
    });
  }
  $("[data-record]").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = $("[data-record]");
    const text = $("#message").value.trim();
    form.hidden = true;
    $("#message").value = "";
    if (text) {
      caller(box.dataset.recorded, text);
      step(form.dataset.action, { seconds: String(Math.max(1, text.split(/\s+/).length)), message: text });
    } else if (form.dataset.nothing) step(form.dataset.nothing, {});
  });
  $("[data-skip]").addEventListener("click", () => {
    const form = $("[data-record]");
    form.hidden = true;
    caller(box.dataset.silent);
    if (form.dataset.nothing) step(form.dataset.nothing, {});
  });

  // SMS: what the texter sends, the hotline's answers, and what its outbox sends later. The chat
  // is kept in this browser only (localStorage), so it is still there after a reload.
  const STORED = "buergertelefon-simulator-chat";
  let lastSeen = 0; // the newest outbox message already shown
  const clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });

  function history() {
    try {
      const kept = JSON.parse(localStorage.getItem(STORED) || "[]");
      return Array.isArray(kept) ? kept : [];
    } catch (error) {
      return [];
    }
  }

  function show(message) {
    const item = document.createElement("li");
    item.className = message.mine ? "mine" : "theirs";
    const who = document.createElement("span");
    who.className = "skip";
    who.textContent = (message.mine ? box.dataset.you : box.dataset.hotline) + ": ";
    const text = document.createElement("p");
    text.textContent = message.text;
    text.dir = "auto"; // an SMS may be in another script and direction than the page
    const time = document.createElement("time");
    time.dateTime = message.at;
    time.textContent = clock.format(new Date(message.at));
    item.append(who, text, time);
    $("[data-chat]").append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function bubble(text, mine) {
    const message = { text, mine, at: new Date().toISOString() };
    const kept = history();
    kept.push(message);
    try {
      localStorage.setItem(STORED, JSON.stringify(kept.slice(-200)));
    } catch (error) {
      // a full or forbidden storage: the chat still shows, only not after a reload
    }
    show(message);
  }

  for (const message of history()) show(message);
  $("[data-forget]").addEventListener("click", () => {
    localStorage.removeItem(STORED);
    $("[data-chat]").replaceChildren();
  });
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
