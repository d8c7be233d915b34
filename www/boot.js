// Starts the standalone page. An external module rather than trunk's inline loader so the
// Content-Security-Policy can forbid inline scripts.
import init, { start } from "./pg-preflight-web.js";

await init();
start();
