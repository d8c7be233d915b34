// Debian's Chromium as every browser test and the benchmark launch it: headless, and with
// every background service that could reach the network (updates, sync, safe browsing
// downloads) switched off, so the only requests are the page's own.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/// `CHROMIUM` overrides the executable (default /usr/bin/chromium).
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}
