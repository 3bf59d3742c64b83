"use strict";
// The page's data: the events (the JSON Lines schema's objects), each
// event's transport, its narration and the page's words in each language.
const data = JSON.parse(document.getElementById("data").textContent);
const events = data.events;
let step = 0;
let lang = document.documentElement.lang;

function text(id, value) {
  document.getElementById(id).textContent = value;
}

// The result as strace ends its line: a value, or -1 and the errno's name.
function result(event) {
  if (event.returned !== null) return "= " + event.returned;
  return "= -1 " + (event.errno || "");
}

function kernel(event) {
  if (event.kernel_after_close !== null) return event.kernel_after_close;
  if (event.tcp_state === null) return "-";
  let said = event.tcp_state;
  if (event.accept_queue !== null && event.accept_queue_limit !== null) {
    said += " " + event.accept_queue + "/" + event.accept_queue_limit;
  }
  return said;
}

function show() {
  const event = events[step];
  if (!event) return;
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-word]")) {
    el.textContent = data.words[lang][el.dataset.word];
  }
  for (const button of document.querySelectorAll("button.lang")) {
    button.classList.toggle("on", button.dataset.lang === lang);
  }
  text("count", (step + 1) + " / " + events.length);
  text("socket", event.socket);
  text("thread", "(" + event.thread + ")");
  text("call", event.strace);
  text("result", result(event));
  document.getElementById("result").classList.toggle("failed", event.returned === null);
  text("state", (event.before || "-") + " → " + (event.after || "-"));
  text("kernel", kernel(event));
  text("narration", data.narration[lang][step]);
  for (const figure of document.querySelectorAll("figure")) {
    const transport = figure.dataset.transport;
    figure.hidden = figure.dataset.lang !== lang ||
      (transport !== undefined && transport !== data.transport[step]);
  }
  for (const row of document.querySelectorAll(".row")) {
    const seq = Number(row.dataset.seq);
    row.classList.toggle("now", seq === event.seq);
    row.classList.toggle("later", seq > event.seq);
  }
  for (const state of document.querySelectorAll(".state")) {
    state.classList.toggle("lit", state.dataset.state === event.after);
  }
  const now = document.querySelector("figure:not([hidden]) .row.now");
  if (now && now.scrollIntoView) now.scrollIntoView({ block: "nearest" });
}

function go(to) {
  step = Math.max(0, Math.min(events.length - 1, to));
  show();
}

document.getElementById("previous").addEventListener("click", () => go(step - 1));
document.getElementById("next").addEventListener("click", () => go(step + 1));
for (const button of document.querySelectorAll("button.lang")) {
  button.addEventListener("click", () => { lang = button.dataset.lang; show(); });
}
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight" || e.key === "ArrowDown") go(step + 1);
  else if (e.key === "ArrowLeft" || e.key === "ArrowUp") go(step - 1);
  else if (e.key === "Home") go(0);
  else if (e.key === "End") go(events.length - 1);
  else return;
  e.preventDefault();
});
show();
