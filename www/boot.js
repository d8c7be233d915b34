// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { loadDeferredModule, start, useDeferredModule } from "./pg-preflight-web.js";
import { giveBack, noteTyped } from "./carry-input.js";

// The page is already there (rendered at build time) and takes typing: its largest file, the
// WebAssembly, is fetched once that first paint is on screen, never in competition with it.
await afterFirstPaint();
await init();

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
// Once it has loaded the page needs no network at all: a second policy only ever narrows the
// first (every policy must allow a request), so this forbids any fetch, XHR, WebSocket or
// beacon for the rest of the page's life. If it failed to load, the lock holds all the same,
// and every later need of it gets that same failure (which the page shows, asking for a
// reload) rather than a request the lock refuses.
whenIdle(() =>
  loadDeferredModule().then(lockNetwork, (error) => {
    lockNetwork();
    useDeferredModule(() => Promise.reject(error));
  }),
);

// One exception: this site's robots.txt, which in-page audits (Lighthouse's SEO check) fetch.
// It opens no channel the page lacks: img-src 'self' already lets a script here send data to
// this origin (in an image URL's query string); the exception lets it reach one more URL of the
// same origin. What the lock takes away is fetch, XHR, WebSocket and beacon to anywhere else.
function lockNetwork() {
  const lockdown = document.createElement("meta");
  lockdown.httpEquiv = "Content-Security-Policy";
  lockdown.content = `connect-src ${new URL("/robots.txt", location.origin).href}`;
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
