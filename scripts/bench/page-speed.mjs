// What a person waits for and sees on the page (issue 14), for scripts/bench-page.mjs:
//  - Lighthouse 12.2.3 (scripts/lighthouse, `make bench` installs it) on the built page served
//    with its brotli/gzip copies, mobile and desktop presets, median of N runs;
//  - time from navigation to the findings of something pasted as soon as the page shows, under
//    Lighthouse's mobile throttling applied through the DevTools protocol (150 ms round trip,
//    1.6 Mbit/s down, 750 kbit/s up, 4x CPU slowdown), median of N loads in fresh contexts,
//    with the bytes transferred until then.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const MOBILE_THROTTLING = {
  latencyMs: 150,
  downloadBitsPerSecond: 1.6 * 1024 * 1024,
  uploadBitsPerSecond: 750 * 1024,
  cpuSlowdown: 4,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const LIGHTHOUSE_AUDITS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
  "interactive",
  "total-byte-weight",
];

/// One Lighthouse run: category scores, the timing audits, and every audit below 1.
async function lighthouseOnce(lighthouseBin, url, preset) {
  const dir = await mkdtemp(join(tmpdir(), "pgp-lighthouse-"));
  const out = join(dir, "report.json");
  try {
    await run(
      lighthouseBin,
      [
        url,
        "--quiet",
        "--output=json",
        `--output-path=${out}`,
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ...(preset === "desktop" ? ["--preset=desktop"] : []),
      ],
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" }, maxBuffer: 1 << 26 },
    );
    const report = JSON.parse(await readFile(out, "utf8"));
    const scores = Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, c.score]));
    const audits = Object.fromEntries(
      LIGHTHOUSE_AUDITS.map((id) => [id, { value: report.audits[id].numericValue, shown: report.audits[id].displayValue }]),
    );
    const below = Object.entries(report.audits)
      .filter(([, a]) => a.score !== null && a.score < 1 && ["binary", "numeric", "metricSavings"].includes(a.scoreDisplayMode))
      .map(([id, a]) => `${id} ${a.score}${a.explanation ? ` (${a.explanation})` : ""}`);
    return { scores, audits, below };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/// Lighthouse `runs` times with `preset` ("mobile", its default, or "desktop"): the median of
/// each score and audit, and the audits that scored below 1 in any run.
export async function lighthouse(lighthouseBin, url, preset, runs) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await lighthouseOnce(lighthouseBin, url, preset));
  return summarise(preset, runs, all);
}

/// Two pages measured alternately (a, b, a, b, …) rather than one after the other, so that a
/// slow spell of the machine (another job, thermal state) weighs on both medians alike: with
/// five runs of one page and then five of the other, total blocking time drifted by 40 ms
/// between identical CI runs on 2 cores.
export async function lighthousePair(lighthouseBin, urlA, urlB, preset, runs) {
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    a.push(await lighthouseOnce(lighthouseBin, urlA, preset));
    b.push(await lighthouseOnce(lighthouseBin, urlB, preset));
  }
  return [summarise(preset, runs, a), summarise(preset, runs, b)];
}

function summarise(preset, runs, all) {
  const pick = (f) => median(all.map(f));
  const scores = Object.fromEntries(Object.keys(all[0].scores).map((k) => [k, pick((r) => r.scores[k])]));
  const audits = Object.fromEntries(LIGHTHOUSE_AUDITS.map((id) => [id, pick((r) => r.audits[id].value)]));
  const below = [...new Set(all.flatMap((r) => r.below))];
  return { preset, runs, scores, audits, below };
}

/// A fresh context and page under mobile throttling (network and CPU, through the DevTools
/// protocol), with the HTTP cache off, whose init script notes in `window.__pgpFindingsAt` the
/// moment an element matches `done.selector` (and holds `done.text`, if given). (A selector,
/// not a function: the page's CSP forbids eval.)
export async function throttledPage(browser, done) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  await context.addInitScript(({ selector, text }) => {
    const isDone = () => {
      const element = document.querySelector(selector);
      return element !== null && (!text || element.textContent.includes(text));
    };
    new MutationObserver((_, observer) => {
      if (window.__pgpFindingsAt === undefined && isDone()) {
        window.__pgpFindingsAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
  }, done);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: MOBILE_THROTTLING.latencyMs,
    downloadThroughput: MOBILE_THROTTLING.downloadBitsPerSecond / 8,
    uploadThroughput: MOBILE_THROTTLING.uploadBitsPerSecond / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE_THROTTLING.cpuSlowdown });
  return { context, page, cdp };
}

/// Opens `url` in `page` and pastes `text` into `field` as soon as the page shows it, as a
/// paste does: the whole text at once, then one input event (playwright's fill of a 200 KB
/// bundle under 4x CPU slowdown times out waiting for the box to settle). Resolves once the
/// findings are shown (`throttledPage`'s `done`).
export async function pasteAndWait(page, url, field, text) {
  await page.goto(url, { waitUntil: "commit" });
  const box = page.locator(field);
  await box.waitFor({ state: "attached", timeout: 60000 });
  await box.evaluate((element, pasted) => {
    element.value = pasted;
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
  await page.waitForFunction(() => window.__pgpFindingsAt !== undefined, null, { timeout: 60000, polling: 100 });
}

/// Navigation to the findings of `paste` in a fresh throttled context: the time and the bytes
/// transferred until then.
async function findingsOnce(browser, url, { field, text, done }) {
  const { context, page } = await throttledPage(browser, done);
  try {
    await pasteAndWait(page, url, field, text);
    return await page.evaluate(() => {
      const at = window.__pgpFindingsAt;
      const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
      const before = entries.filter((e) => e.responseEnd <= at);
      const name = (e) => new URL(e.name).pathname.split("/").pop() || "index.html";
      return {
        ms: at,
        bytes: before.reduce((n, e) => n + e.transferSize, 0),
        files: before.map((e) => ({ file: name(e), transferSize: e.transferSize })),
      };
    });
  } finally {
    await context.close();
  }
}

/// `findingsOnce` `loads` times: the median time and bytes, the range, and the files.
export async function timeToFindings(browser, url, paste, loads) {
  const all = [];
  for (let i = 0; i < loads; i++) all.push(await findingsOnce(browser, url, paste));
  return {
    loads,
    medianMs: median(all.map((r) => r.ms)),
    minMs: Math.min(...all.map((r) => r.ms)),
    maxMs: Math.max(...all.map((r) => r.ms)),
    medianBytes: median(all.map((r) => r.bytes)),
    files: all[0].files,
  };
}
