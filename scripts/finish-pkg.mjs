// Completes the package `wasm-pack build` wrote into pkg/ (`make pkg`): the <pg-preflight>
// element and the stylesheet go beside the module, package.json lists them so a published
// package carries them, and the package README is the README's embedding guide (its
// "## Embedding in documentation pages" section) rather than the whole developer README,
// which wasm-pack copies.
//
//   node scripts/finish-pkg.mjs [PKG_DIR]
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = resolve(root, process.argv[2] ?? "pkg");
const extra = ["pg-preflight-element.js", "pg-preflight.css"];

for (const file of extra) {
  await copyFile(join(root, "www", file), join(pkg, file));
}
const readme = await readFile(join(root, "README.md"), "utf8");
const guide = readme.match(/^## Embedding in documentation pages\n[\s\S]*?(?=^## )/m);
if (!guide) throw new Error("finish-pkg: README.md has no '## Embedding in documentation pages' section");
await writeFile(
  join(pkg, "README.md"),
  `# pg-preflight for the browser\n\nChecks a PostgreSQL connection string, TLS certificates and key, and writes a least-privilege role script, entirely in the page.\n\n${guide[0]}`,
);

const manifestPath = join(pkg, "package.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
manifest.files = [...new Set([...(manifest.files ?? []), ...extra, "README.md"])];
// Importing the element registers <pg-preflight>, and the stylesheet is meant to be loaded:
// neither may be dropped by a bundler's tree shaking.
manifest.sideEffects = [...new Set([...(manifest.sideEffects ?? []), "./pg-preflight-element.js", "*.css"])];
await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`finish-pkg: ${pkg} lists ${manifest.files.join(", ")}`);
