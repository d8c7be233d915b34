// Where the time to the first findings goes: one throttled load (as `make bench` measures it)
// with each file's request start and response end, and the app's own marks. A diagnostic aid,
// not a benchmark.
//   node scripts/bench/timeline.mjs [--dist DIR] [--loads N] [--bundle] [--profile]
// --profile adds the CPU time by script and function (a sampling profile of the whole load).
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../tests/e2e/chromium.mjs";
import { serveStatic } from "../static-server.mjs";
import { pasteAndWait, throttledPage } from "./page-speed.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const DIST = resolve(ROOT, option("--dist", "dist"));
const LOADS = Number(option("--loads", 3));
const bundle = args.includes("--bundle");
const profile = args.includes("--profile");
const paste = bundle
  ? { field: '.pgp-material[data-field="ca"] textarea', text: await readFile("/etc/ssl/certs/ca-certificates.crt", "utf8"), done: { selector: '.pgp-material[data-field="ca"] .pgp-caption', text: "certificates" } }
  : { field: ".pgp-controls textarea.pgp-input", text: "postgresql://app_user@db.example.com:5432/app?sslmode=require", done: { selector: '.pgp-results[data-pending="false"] .pgp-verdict' } };

const server = await serveStatic([{ prefix: "/", dir: DIST }], { precompressed: true });
const browser = await launchChromium();
try {
  for (let i = 0; i < LOADS; i++) {
    const { context, page, cdp } = await throttledPage(browser, paste.done);
    if (profile) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 1000 });
      await cdp.send("Profiler.start");
    }
    await pasteAndWait(page, server.url, paste.field, paste.text);
    const rows = await page.evaluate(() => {
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource"), ...performance.getEntriesByType("mark"), ...performance.getEntriesByType("paint")];
      return { at: window.__pgpFindingsAt, entries: entries.map((e) => ({ name: e.name.split("/").pop() || "index.html", type: e.entryType, start: e.startTime, requestStart: e.requestStart, responseStart: e.responseStart, end: e.responseEnd ?? e.startTime, size: e.transferSize })) };
    });
    console.log(`load ${i + 1}: findings at ${rows.at.toFixed(0)} ms`);
    if (profile) printProfile((await cdp.send("Profiler.stop")).profile);
    for (const e of rows.entries.sort((a, b) => a.start - b.start)) {
      const span = e.type === "mark" || e.type === "paint" ? `${e.start.toFixed(0)}` : `${e.start.toFixed(0)} → req ${e.requestStart.toFixed(0)} → first byte ${e.responseStart.toFixed(0)} → end ${e.end.toFixed(0)} (${e.size} B)`;
      console.log(`  ${e.type.padEnd(10)} ${e.name.padEnd(36)} ${span}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

/** Self time by script file and function, the largest first. */
function printProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const step = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
  for (const id of profile.samples) {
    const frame = byId.get(id).callFrame;
    const key = `${(frame.url.split("/").pop() || "(" + frame.functionName + ")").padEnd(32)} ${frame.functionName || "(anonymous)"}`;
    self.set(key, (self.get(key) ?? 0) + step);
  }
  const byFile = new Map();
  for (const [key, ms] of self) byFile.set(key.slice(0, 32).trim(), (byFile.get(key.slice(0, 32).trim()) ?? 0) + ms);
  console.log("  CPU by file:", [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([f, ms]) => `${f} ${ms.toFixed(0)} ms`).join(", "));
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${key}`);
}
