// Steps through the page the demo wrote (`--html`), in headless Chromium
// driven by playwright-core, and holds what it shows against the JSON Lines
// of the same run (`--json`): every event forward and back with the arrow
// keys, the language switched, no console error, no network request, and a
// screenshot for a person to look at. Run by tests/page.rs:
//
//   NODE_PATH=target/tools/playwright/node_modules \
//     node tests/page/step.cjs PAGE.html EVENTS.jsonl SCREENSHOT.png
//
// Exits 0 when the page agrees, 1 with the first disagreement otherwise.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [pagePath, jsonPath, shotPath] = process.argv.slice(2);
const events = fs.readFileSync(jsonPath, "utf8").trim().split("\n").map((l) => JSON.parse(l));

function fail(message) {
  throw new Error(message);
}

function expect(what, shown, wanted) {
  if (shown !== wanted) fail(`${what}: the page shows ${JSON.stringify(shown)}, the JSON line says ${JSON.stringify(wanted)}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 60000,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(10000);
    const address = "file://" + path.resolve(pagePath);
    page.on("console", (m) => { if (m.type() === "error") problems.push("console error: " + m.text()); });
    page.on("pageerror", (e) => problems.push("page error: " + e.message));
    page.on("request", (r) => { if (r.url() !== address) problems.push("network request: " + r.url()); });
    await page.goto(address);

    const text = (selector) => page.textContent(selector);
    const lit = () => page.evaluate(() => {
      const state = document.querySelector("figure.typestate:not([hidden]) .state.lit");
      return state ? state.dataset.state : null;
    });
    const check = async (i, lang) => {
      const e = events[i];
      expect(`step ${i + 1}: the counter`, await text("#count"), `${i + 1} / ${events.length}`);
      expect(`step ${i + 1}: the socket`, await text("#socket"), e.socket);
      expect(`step ${i + 1}: the call`, await text("#call"), e.strace);
      expect(`step ${i + 1}: the state`, await text("#state"), `${e.before || "-"} → ${e.after || "-"}`);
      expect(`step ${i + 1}: the lit state`, await lit(), e.after);
      const now = await page.evaluate(() => Array.from(
        document.querySelectorAll("figure.sequence:not([hidden]) .row.now"), (r) => Number(r.dataset.seq)));
      if (!now.length || !now.every((seq) => seq === e.seq)) fail(`step ${i + 1}: the lit rows are ${now}, the event is seq ${e.seq}`);
      if (lang === "en") expect(`step ${i + 1}: the narration`, await text("#narration"), e.narration);
    };

    for (let i = 0; i < events.length; i++) {
      await check(i, "en");
      await page.keyboard.press("ArrowRight");
    }
    await check(events.length - 1, "en");
    for (let i = events.length - 1; i >= 0; i--) {
      await check(i, "en");
      await page.keyboard.press("ArrowLeft");
    }
    await check(0, "en");

    await page.click("#lang-pt");
    expect("in Portuguese, the page's language", await page.evaluate(() => document.documentElement.lang), "pt");
    expect("in Portuguese, the call's heading", await text("dt[data-word=call]"), "chamada");
    for (let i = 0; i < events.length; i++) {
      await check(i, "pt");
      const narration = await text("#narration");
      if (!narration || narration === events[i].narration) fail(`step ${i + 1}: the narration is not in Portuguese: ${narration}`);
      await page.keyboard.press("ArrowRight");
    }
    await page.keyboard.press("Home");
    await page.click("#lang-en");
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
    await check(8, "en");
    await page.screenshot({ path: shotPath, fullPage: true });
  } finally {
    await browser.close();
  }
  if (problems.length) fail(problems.join("\n"));
  console.log(`the page agrees with ${events.length} events, forward, back and in both languages; screenshot: ${shotPath}`);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
