// The embeddable package as a docs author uses it: the README's "Embedding in documentation
// pages" section, taken literally, against the package `make pkg` built.
//
//   node tests/e2e/package.mjs --pkg pkg
//
// The test page is made from the README's own code blocks (the HTML of the elements, the
// theming CSS and the JS API example, its placeholder variables given fixture values), served
// with the Content-Security-Policy the README asks for, the package mounted where the README's
// paths point (/pg-preflight/). It checks that the package lists every file it needs, that both
// elements render, that the theme reaches the checker, that the host page keeps its own look,
// that the JS example runs, and that nothing else is requested. Last line: "N passed, N failed".
import { launchChromium } from "./chromium.mjs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../../scripts/static-server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const pkgDir = resolve(ROOT, args[args.indexOf("--pkg") + 1] ?? "pkg");
const PKI = join(ROOT, "crates/core/tests/fixtures/pki");

let passed = 0;
let failed = 0;
function check(ok, what, detail) {
  if (ok) passed++;
  else failed++;
  const suffix = ok || detail === undefined ? "" : ` (${typeof detail === "string" ? detail : JSON.stringify(detail)})`;
  console.log(`${ok ? "ok" : "not ok"} - package: ${what}${suffix}`);
  return ok;
}

// ---- the package's manifest and README
const manifest = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
for (const file of ["pg-preflight-web.js", "pg-preflight-web_bg.wasm", "pg-preflight-web.d.ts", "pg-preflight-element.js", "pg-preflight.css", "README.md"]) {
  check(manifest.files?.includes(file), `package.json lists ${file}`, manifest.files);
}
const packageReadme = await readFile(join(pkgDir, "README.md"), "utf8");
check(/^## Embedding in documentation pages$/m.test(packageReadme) && !/make test/.test(packageReadme),
  "the package README is the embedding guide, not the developer README");

// ---- the README's code blocks
const readme = await readFile(join(ROOT, "README.md"), "utf8");
const section = readme.match(/^## Embedding in documentation pages\n([\s\S]*?)(?=^## )/m)?.[1] ?? "";
const block = (lang) => section.match(new RegExp("```" + lang + "\\n([\\s\\S]*?)```"))?.[1];
const html = block("html");
const css = block("css");
const js = block("js");
if (!check(html && css && js, "the README's embedding section has html, css and js examples")) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
}

// The README's placeholders, given values: a CA, a client certificate and its key.
const preamble = `
const caPem = ${JSON.stringify(await readFile(join(PKI, "root.crt"), "utf8"))};
const certPem = ${JSON.stringify(await readFile(join(PKI, "client-with-intermediate.crt"), "utf8"))};
const keyPem = ${JSON.stringify(await readFile(join(PKI, "client.pkcs8.key"), "utf8"))};
const keyPassphrase = undefined;
const pastedText = keyPem;
const passphrase = undefined;
`;
// The example's results, for the checks below (nothing of it is shown on the page).
const epilogue = `
window.readmeExample = {
  codes: analysis.diagnostics.map((d) => d.code),
  keyMatch: report.keyMatch,
  certificates: report.certificates.length,
  roleOk: role.ok,
  mountedAfterDestroy: handle.mounted,
  rules: rules().length,
};
`;
const site = await mkdtemp(join(tmpdir(), "pgp-package-"));
await writeFile(join(site, "site.css"), `body { font-family: Georgia, serif; margin: 24px; background: #fbf8f1; }\n${css}`);
await writeFile(join(site, "example.js"), preamble + js + epilogue);
await writeFile(join(site, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
await writeFile(join(site, "index.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'">
<title>docs</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/site.css">
${html}
</head><body><main><h1>Our docs</h1><div id="checker"></div></main>
<script type="module" src="/example.js"></script>
</body></html>
`);

// ---- the page in Chromium
const server = await serveStatic([{ prefix: "/pg-preflight/", dir: pkgDir }, { prefix: "/", dir: site }]);
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(`${m.text()} ${m.location()?.url ?? ""}`));
  await page.goto(server.url);
  const example = await page.waitForFunction(() => window.readmeExample, null, { timeout: 20000 })
    .then((h) => h.jsonValue()).catch((e) => ({ error: e.message }));
  check(example.codes?.includes("PGP-SSL-103"), "the README's JS example runs: parseConnectionString", example);
  check(example.keyMatch === true && example.certificates === 3, "check() with the README's fields reads the certificates and key", example);
  check(example.roleOk === true && example.rules > 100, "generateRoleScript() and rules()", example);
  check(example.mountedAfterDestroy === false, "mount() then destroy()", example);
  await page.waitForTimeout(300);
  check(await page.locator("#checker .pgp").count() === 0, "the destroyed mount leaves nothing");
  const elements = page.locator("pg-preflight");
  check(await elements.count() === 2, "two elements from the README's HTML");
  check(await page.locator("pg-preflight .pgp").count() === 2, "both render a checker");
  check(await elements.nth(0).locator(".pgp-role").count() === 0 && await elements.nth(0).locator(".pgp-material-panel").count() === 0,
    "panels=\"none\" shows the connection string only");
  check(await elements.nth(1).locator(".pgp-role").count() === 1 && await elements.nth(1).locator(".pgp-material-panel").count() === 1,
    "panels=\"certificates,roles\" shows both");
  check(/jdbc/i.test(await elements.nth(1).locator(".pgp-driver select").inputValue()), "driver=\"jdbc\" is picked");
  const themed = await elements.nth(1).locator(".pgp").evaluate((e) => getComputedStyle(e).getPropertyValue("--pgp-accent").trim());
  check(themed === "#7a3e9d", "the README's theming reaches the checker", themed);
  const body = await page.evaluate(() => ({ font: getComputedStyle(document.body).fontFamily, margin: getComputedStyle(document.body).margin }));
  check(/Georgia/.test(body.font) && body.margin === "24px", "the host page keeps its own look", body);
  const foreign = requests.filter((p) => !["/", "/site.css", "/example.js", "/favicon.svg"].includes(p) && !/^\/pg-preflight\/(pg-preflight-web\.js|pg-preflight-web_bg\.wasm|pg-preflight-element\.js|pg-preflight\.css)$/.test(p));
  check(foreign.length === 0, "only the package's and the page's own files are requested", foreign);
  check(errors.length === 0, "no error in the console", errors);
  await page.locator("pg-preflight").last().screenshot({ path: join(ROOT, "test-output", "e2e", "10-package-readme.png") }).catch(() => {});
} finally {
  await browser.close();
  await server.close();
  await rm(site, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
