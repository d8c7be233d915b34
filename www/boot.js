// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { loadDeferredModule, loadExplainModule, start, useDeferredModule, useExplainModule } from "./pg-preflight-web.js";
import { giveBack, noteTyped } from "./carry-input.js";

// A certificate or an error pasted before the first module has started needs a later module at
// once: fetch it beside the first rather than after it (they share the bandwidth; the first is
// delayed no more than the bytes cost). The app itself would ask for it only once started.
const early = new Map();
const LATER_MODULES = [
  { panel: ".pgp-material", script: "./pg-preflight-deferred.js", use: () => useDeferredModule },
  { panel: ".pgp-errors-panel", script: "./pg-preflight-explain.js", use: () => useExplainModule },
];
let firstReady = false;
const startEarly = (event) => {
  for (const later of LATER_MODULES) {
    if (early.has(later) || !(event.target instanceof Element) || !event.target.closest(later.panel)) continue;
    const loading = importBeside(later.script);
    early.set(later, loading);
    if (firstReady) later.use()(() => loading);
  }
};
addEventListener("input", startEarly, true);
for (const later of LATER_MODULES) {
  for (const control of document.querySelectorAll(`${later.panel} textarea`)) {
    if (control.value !== control.defaultValue) startEarly({ target: control });
  }
}

// The page is already there (rendered at build time) and takes typing: its largest file, the
// WebAssembly, is fetched once that first paint is on screen, never in competition with it.
await afterFirstPaint();
await init();
firstReady = true;
for (const [later, loading] of early) later.use()(() => loading);

// The first module is loaded: from now on the page needs the network for the later modules'
// files at most, and gets no more. A second policy only ever narrows the first (every policy must allow a
// request), so this forbids any fetch, XHR, WebSocket or beacon but to
// - the WebAssembly of the modules still to come (their scripts are imports, which script-src
//   governs): the second module (certificates, chains, role scripts) and the errors panel's;
// - this site's robots.txt, which in-page audits (Lighthouse's SEO check) fetch. That opens no
//   channel the page lacks: img-src 'self' already lets a script here send data to this
//   origin in a URL; this lets it reach one more URL of the same origin (by any method).
// Each module's URL leaves the list once it has loaded (or failed to).
const ROBOTS = new URL("/robots.txt", location.href).href;
const awaited = new Set([
  new URL("pg-preflight-deferred_bg.wasm", import.meta.url).href,
  new URL("pg-preflight-explain_bg.wasm", import.meta.url).href,
]);
const [DEFERRED_WASM, EXPLAIN_WASM] = awaited;
lockNetwork();

// The page's HTML was rendered at build time, so its inputs took text before the module
// arrived. The app takes those same elements over (hydration) and sets most controls to its
// own (empty) state: note what the reader typed first, then give it back as their own input.
const typed = noteTyped(document.getElementById("app"));
start();
// yew renders from a microtask queued by start(); a task runs after it.
await new Promise((resolve) => setTimeout(resolve));
giveBack(typed);
// The moment the app runs, for `make bench` (scripts/bench-page.mjs).
performance.mark("pgp-started");
// From here the app itself asks for a module when it needs one.
removeEventListener("input", startEarly, true);

// The later modules while the page is idle, one after the other: the second (certificates,
// chains, role scripts) first, so it is usually there before anyone pastes a certificate, then
// the errors panel's. Then nothing more is fetched (a module that text typed before the app
// started needs is already on its way, above). If a module failed to load, every later need of it gets that
// same failure (which the page shows, asking for a reload) rather than a request the lock would
// refuse.
whenIdle(async () => {
  await settle(loadDeferredModule(), DEFERRED_WASM, useDeferredModule);
  whenIdle(() => settle(loadExplainModule(), EXPLAIN_WASM, useExplainModule));
});

/** Takes `url` off the lock's list once `loading` has settled; a failure becomes the answer
 *  to every later need of that module (`useLoader`). */
function settle(loading, url, useLoader) {
  return loading.then(
    () => arrived(url),
    (error) => {
      arrived(url);
      useLoader(() => Promise.reject(error));
    },
  );
}

function arrived(url) {
  awaited.delete(url);
  lockNetwork();
}

/** Adds a Content-Security-Policy that allows connections only to robots.txt and the modules
 *  still awaited. */
function lockNetwork() {
  const lockdown = document.createElement("meta");
  lockdown.httpEquiv = "Content-Security-Policy";
  lockdown.content = `connect-src ${[ROBOTS, ...awaited].join(" ")}`;
  document.head.append(lockdown);
}

/** A module beside this script, initialised (its glue fetches its .wasm from beside it).
 *  Literal paths, so a bundler that packs this page sees both imports. */
function importBeside(script) {
  const importing =
    script === "./pg-preflight-deferred.js" ? import("./pg-preflight-deferred.js") : import("./pg-preflight-explain.js");
  return importing.then(async (module) => {
    await module.default();
    return module;
  });
}

/** Runs `task` when the browser is idle (or soon, where it cannot say). */
function whenIdle(task) {
  if ("requestIdleCallback" in window) requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 200);
}

/** Resolves once the page has painted: at once when the browser has recorded its first paint
 *  (the module scripts usually run after it), else after the next frame and a task, or after
 *  200 ms in a hidden tab. */
function afterFirstPaint() {
  return new Promise((resolve) => {
    if (performance.getEntriesByType("paint").length > 0) {
      resolve();
      return;
    }
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 200);
  });
}
