// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { start } from "./pg-preflight-web.js";
import { giveBack, noteTyped } from "./carry-input.js";

// The page is already there (rendered at build time) and takes typing: its largest file, the
// WebAssembly, is fetched once that first paint is on screen, never in competition with it.
await afterFirstPaint();
await init();

// The module and its wasm are loaded: from now on the page needs no network at all. A second
// policy only ever narrows the first (every policy must allow a request), so this forbids any
// fetch, XHR, WebSocket or beacon for the rest of the page's life.
const lockdown = document.createElement("meta");
lockdown.httpEquiv = "Content-Security-Policy";
lockdown.content = "connect-src 'none'";
document.head.append(lockdown);

// The page's HTML was rendered at build time, so its inputs took text before the module
// arrived. The app takes those same elements over (hydration) and sets each control to its own
// (empty) state: note what the reader typed first, then give it back as their own input.
const typed = noteTyped(document.getElementById("app"));
start();
// yew renders from a microtask queued by start(); a task runs after it.
await new Promise((resolve) => setTimeout(resolve));
giveBack(typed);

/** Resolves after the next paint (a frame, then a task), or after 200 ms in a hidden tab. */
function afterFirstPaint() {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 200);
  });
}
