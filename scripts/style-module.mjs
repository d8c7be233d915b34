#!/usr/bin/env node
// Writes www/pg-preflight.css as an ES module, `export const STYLE = "…"`, for the
// <pg-preflight> element: it adopts the styles into its shadow root from a constructed
// stylesheet at once, with no request, no flash of unstyled content and no inline <style> (which
// a page's `style-src 'self'` forbids).
//
//   node scripts/style-module.mjs OUT_JS [CSS]      (CSS defaults to www/pg-preflight.css)
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [out, css = join(root, "www/pg-preflight.css")] = process.argv.slice(2);
if (!out) {
  console.error("usage: node scripts/style-module.mjs OUT_JS [CSS]");
  process.exit(2);
}
const text = await readFile(css, "utf8");
await writeFile(
  out,
  `// Generated from pg-preflight.css by scripts/style-module.mjs. Do not edit.\nexport const STYLE = ${JSON.stringify(text).replace(/</g, "\\u003c")};\n`,
);
