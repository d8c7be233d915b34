// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { start } from "./pg-preflight-web.js";

await init();

// The module and its wasm are loaded: from now on the page needs no network at all. A second
// policy only ever narrows the first (every policy must allow a request), so this forbids any
// fetch, XHR, WebSocket or beacon for the rest of the page's life.
const lockdown = document.createElement("meta");
lockdown.httpEquiv = "Content-Security-Policy";
lockdown.content = "connect-src 'none'";
document.head.append(lockdown);

start();
