// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { loadDeferredModule, start, useDeferredModule } from "./pg-preflight-web.js";
import { giveBack, noteTyped } from "./carry-input.js";

// The page is already there (rendered at build time) and takes typing: its largest file, the
// WebAssembly, is fetched once that first paint is on screen, never in competition with it.
await afterFirstPaint();
await init();

// The first module is loaded: from now on the page needs the network for two files at most,
// and gets no more. A second policy only ever narrows the first (every policy must allow a
// request), so this forbids any fetch, XHR, WebSocket or beacon but to
// - the second module's WebAssembly (its script is an import, which script-src governs), and
// - this site's robots.txt, which in-page audits (Lighthouse's SEO check) fetch. That opens no
//   channel the page lacks: img-src 'self' already lets a script here send data to this
//   origin in a URL; this lets it reach one more URL of the same origin (by any method).
const ROBOTS = new URL("/robots.txt", location.href).href;
const DEFERRED_WASM = new URL("pg-preflight-deferred_bg.wasm", import.meta.url).href;
lockNetwork([ROBOTS, DEFERRED_WASM]);

// The page's HTML was rendered at build time, so its inputs took text before the module
// arrived. The app takes those same elements over (hydration) and sets each control to its own
// (empty) state: note what the reader typed first, then give it back as their own input.
const typed = noteTyped(document.getElementById("app"));
start();
// yew renders from a microtask queued by start(); a task runs after it.
await new Promise((resolve) => setTimeout(resolve));
giveBack(typed);
// The moment the app runs, for `make bench` (scripts/bench-page.mjs).
performance.mark("pgp-started");

// The second module (certificates, chains, role scripts) while the page is idle, so it is
// usually there before anyone pastes a certificate; pasting one first only starts it sooner.
// Once it has loaded, the lock narrows to robots.txt alone. If it failed to load, every later
// need of it gets that same failure (which the page shows, asking for a reload) rather than a
// request the lock would refuse.
whenIdle(() =>
  loadDeferredModule().then(
    () => lockNetwork([ROBOTS]),
    (error) => {
      lockNetwork([ROBOTS]);
      useDeferredModule(() => Promise.reject(error));
    },
  ),
);

/** Adds a Content-Security-Policy that allows connections to `urls` only. */
function lockNetwork(urls) {
  const lockdown = document.createElement("meta");
  lockdown.httpEquiv = "Content-Security-Policy";
  lockdown.content = `connect-src ${urls.join(" ")}`;
  document.head.append(lockdown);
}

/** Runs `task` when the browser is idle (or soon, where it cannot say). */
function whenIdle(task) {
  if ("requestIdleCallback" in window) requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 200);
}

/** Resolves after the next paint (a frame, then a task), or after 200 ms in a hidden tab. */
function afterFirstPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 200);
  });
}
