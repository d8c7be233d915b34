// Completes the package `wasm-pack build` wrote into pkg/ (`make pkg`) into the npm package
// docs authors install: the <pg-preflight> element with its prerendered shells, types and the
// input carry-over module, and the stylesheet go beside the module; package.json gets the
// package's name, description, repository, `exports` map (".", "./element", "./style.css"),
// types and side effects; the package README is the README's embedding guide (its
// "## Embedding in documentation pages" section) rather than the whole developer README,
// which wasm-pack copies.
//
//   node scripts/finish-pkg.mjs [PKG_DIR]
import { execFileSync } from "node:child_process";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = resolve(root, process.argv[2] ?? "pkg");
const copied = ["pg-preflight-element.js", "pg-preflight-element.d.ts", "pg-preflight-element.css", "pg-preflight-api.js", "pg-preflight-api.d.ts", "pg-preflight-vue.js", "pg-preflight-vue.d.ts", "carry-input.js", "pg-preflight.css"];

for (const file of copied) {
  await copyFile(join(root, "www", file), join(pkg, file));
}
// The element's first render for each panels choice (src/bin/prerender.rs).
execFileSync(
  "cargo",
  ["run", "--quiet", "--offline", "--features", "ssr", "--bin", "prerender", "--", "--embed-shells", join(pkg, "pg-preflight-shells.js")],
  { cwd: root, stdio: "inherit" },
);
// The stylesheet as a module, for the element's shadow root.
execFileSync(process.execPath, [join(root, "scripts/style-module.mjs"), join(pkg, "pg-preflight-style.js")], { stdio: "inherit" });
const readme = await readFile(join(root, "README.md"), "utf8");
const guide = readme.match(/^## Embedding in documentation pages\n[\s\S]*?(?=^## )/m);
if (!guide) throw new Error("finish-pkg: README.md has no '## Embedding in documentation pages' section");
await writeFile(
  join(pkg, "README.md"),
  `# pg-preflight for the browser\n\nChecks a PostgreSQL connection string, TLS certificates and key, and writes a least-privilege role script, entirely in the page.\n\n${guide[0]}`,
);

const cargo = await readFile(join(root, "Cargo.toml"), "utf8");
const workspaceField = (name) => cargo.match(new RegExp(`^${name} = "([^"]+)"`, "m"))?.[1];
const manifestPath = join(pkg, "package.json");
const generated = JSON.parse(await readFile(manifestPath, "utf8"));
const files = [
  "pg-preflight-web.js",
  "pg-preflight-web.d.ts",
  "pg-preflight-web_bg.wasm",
  "pg-preflight-web_bg.wasm.d.ts",
  // The modules loaded when first needed, the second (certificates, chains, role scripts) and
  // the errors panel's, and the snippet of the first that imports them from beside itself
  // (scripts/build-deferred.sh, src/deferred.rs).
  "pg-preflight-deferred.js",
  "pg-preflight-deferred_bg.wasm",
  "pg-preflight-explain.js",
  "pg-preflight-explain_bg.wasm",
  "snippets/",
  "pg-preflight-element.js",
  "pg-preflight-element.d.ts",
  "pg-preflight-element.css",
  "pg-preflight-shells.js",
  "pg-preflight-style.js",
  "pg-preflight-api.js",
  "pg-preflight-api.d.ts",
  "pg-preflight-vue.js",
  "pg-preflight-vue.d.ts",
  "carry-input.js",
  "pg-preflight.css",
  "README.md",
];
const manifest = {
  name: "pg-preflight",
  version: workspaceField("version") ?? generated.version,
  description:
    "Check a PostgreSQL connection string, TLS certificates and key, and write a least-privilege role script, in the browser: a <pg-preflight> element for documentation pages and a JS API. Nothing leaves the page.",
  license: workspaceField("license") ?? generated.license,
  repository: { type: "git", url: `git+${workspaceField("repository")}.git` },
  homepage: workspaceField("repository"),
  keywords: ["postgresql", "tls", "connection-string", "libpq", "web-component", "webassembly"],
  type: "module",
  files,
  main: "./pg-preflight-web.js",
  types: "./pg-preflight-web.d.ts",
  exports: {
    ".": { types: "./pg-preflight-web.d.ts", default: "./pg-preflight-web.js" },
    "./element": { types: "./pg-preflight-element.d.ts", default: "./pg-preflight-element.js" },
    "./element.css": "./pg-preflight-element.css",
    "./api": { types: "./pg-preflight-api.d.ts", default: "./pg-preflight-api.js" },
    "./vue": { types: "./pg-preflight-vue.d.ts", default: "./pg-preflight-vue.js" },
    "./style.css": "./pg-preflight.css",
    "./pg-preflight-web_bg.wasm": "./pg-preflight-web_bg.wasm",
    "./pg-preflight-deferred_bg.wasm": "./pg-preflight-deferred_bg.wasm",
    "./pg-preflight-explain_bg.wasm": "./pg-preflight-explain_bg.wasm",
    "./package.json": "./package.json",
  },
  // Importing the element registers <pg-preflight>, and the stylesheet is meant to be loaded:
  // neither may be dropped by a bundler's tree shaking.
  sideEffects: ["./pg-preflight-element.js", "./pg-preflight-element.css", "./pg-preflight.css"],
};
await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`finish-pkg: ${pkg} is ${manifest.name}@${manifest.version} with ${files.join(", ")}`);
