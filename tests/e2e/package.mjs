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
// that the JS example runs, that nothing else is requested, and that the place
// pg-preflight-element.css reserves before the script runs is each first render's height (every
// shell, "all" and no `panels`; a docs column and a phone). Last line: "N passed, N failed".
import { launchChromium } from "./chromium.mjs";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
for (const file of ["pg-preflight-web.js", "pg-preflight-web_bg.wasm", "pg-preflight-web.d.ts", "pg-preflight-deferred.js", "pg-preflight-deferred_bg.wasm", "pg-preflight-explain.js", "pg-preflight-explain_bg.wasm", "pg-preflight-element.js", "pg-preflight-element.d.ts", "pg-preflight-element.css", "pg-preflight-api.js", "pg-preflight-api.d.ts", "pg-preflight-vue.d.ts", "pg-preflight-shells.js", "pg-preflight-style.js", "carry-input.js", "pg-preflight.css", "README.md"]) {
  check(manifest.files?.includes(file), `package.json lists ${file}`, manifest.files);
}
check(manifest.name === "pg-preflight" && /^\d+\.\d+\.\d+/.test(manifest.version) && manifest.license && manifest.repository?.url && /PostgreSQL/.test(manifest.description) && !/Yew/.test(manifest.description),
  "package.json has a name, version, license, repository and a description for users", manifest);
check(manifest.exports?.["."]?.types && manifest.exports?.["./element"]?.types && manifest.exports?.["./api"]?.types && manifest.exports?.["./vue"]?.types && manifest.exports?.["./style.css"],
  "exports: the JS API, ./element, ./api (loaded on first call) and ./style.css, with types", manifest.exports);
check(manifest.sideEffects?.includes("./pg-preflight-element.js"), "the element is a side effect (bundlers keep it)", manifest.sideEffects);

// ---- packed, and judged by publint and arethetypeswrong
const packDir = await mkdtemp(join(tmpdir(), "pgp-pack-"));
try {
  const packed = execFileSync("npm", ["pack", pkgDir, "--pack-destination", packDir, "--quiet"], { encoding: "utf8" }).trim().split("\n").pop();
  const tarball = join(packDir, packed);
  const tool = (name) => join(ROOT, "node_modules/.bin", name);
  const run = (cmd, args) => {
    try {
      return { ok: true, out: execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
    } catch (error) {
      return { ok: false, out: `${error.stdout ?? ""}${error.stderr ?? ""}` };
    }
  };
  const publint = run(tool("publint"), [pkgDir]);
  check(publint.ok && !/error/i.test(publint.out.replace(/errors?: 0/gi, "")), "publint reports no errors", publint.out.slice(-600));
  // ESM-only by design (CommonJS callers use import()); the stylesheets and the .wasm are files,
  // not modules, so they are not resolved as JavaScript.
  const attw = run(tool("attw"), [tarball, "--profile", "esm-only", "--exclude-entrypoints", "./style.css", "./element.css", "./pg-preflight-web_bg.wasm", "./pg-preflight-deferred_bg.wasm", "./pg-preflight-explain_bg.wasm"]);
  check(attw.ok, "arethetypeswrong reports no problems (ESM profile)", attw.out.slice(-800));
  // The first module's snippet that imports the second must travel in the tarball.
  const listing = run("tar", ["-tzf", tarball]);
  check(/package\/snippets\/pg-preflight-web-[0-9a-f]+\/www\/deferred\.js/.test(listing.out) && /package\/pg-preflight-deferred_bg\.wasm/.test(listing.out) && /package\/pg-preflight-explain_bg\.wasm/.test(listing.out),
    "the tarball holds the later modules and the snippet that loads them", listing.out.split("\n").filter((l) => /deferred|explain/.test(l)));
  // Server-side rendering imports the element where there is no DOM: it must do nothing.
  const ssr = run(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(join(pkgDir, "pg-preflight-element.js"))}); console.log(typeof m.panelsName, typeof globalThis.customElements);`]);
  check(ssr.ok && /^function undefined/.test(ssr.out), "importing the element in Node (no DOM) works and defines nothing", ssr.out);
} finally {
  await rm(packDir, { recursive: true, force: true });
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
const pastedError = 'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: SSL error: certificate verify failed';
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
  explainedFailure: explained.explanations[0]?.failure,
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

// A docs page with the checker far below the fold and a section after it (a deep link's target).
await writeFile(join(site, "lazy.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'">
<title>lazy</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/site.css">
<link rel="stylesheet" href="/lazy.css">
${html.split("\n").filter((line) => !/^<pg-preflight/.test(line)).join("\n")}
</head><body><main><h1>A long page</h1><div class="tall">text</div>
<pg-preflight id="below" panels="none" heading-level="3"></pg-preflight>
<h2 id="after">After the checker</h2><div class="tall"></div></main></body></html>
`);
// (The page's CSP forbids inline styles, as many docs sites' do.)
// …and a docs theme's element rules (VitePress .vp-doc's kind), which must not reach the checker.
await writeFile(join(site, "lazy.css"), `.tall { height: 3000px; }
h2, h3, h4 { margin: 48px 0 16px; border-top: 1px solid #ccc; padding-top: 24px; }
li { list-style: disc; margin: 8px 0; }
code { color: #3451b2; background: #eef; }
select { appearance: none; }
table { display: block; overflow-x: auto; }
`);

// Every first render (each key of SHELLS, as a `panels` value), "all" and no `panels` at all, in
// a docs column and a phone's, for the place pg-preflight-element.css reserves for each.
const { SHELLS } = await import(pathToFileURL(join(pkgDir, "pg-preflight-shells.js")).href);
const reserveCases = [...Object.keys(SHELLS), "all", null];
await writeFile(join(site, "reserve.html"), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'">
<title>reserve</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/pg-preflight/pg-preflight-element.css">
<link rel="stylesheet" href="/reserve.css">
</head><body>
${reserveCases.map((panels, i) => `<div class="column"><pg-preflight id="r${i}"${panels === null ? "" : ` panels="${panels}"`} loading="eager"></pg-preflight></div>`).join("\n")}
</body></html>
`);
// VitePress's docs column on a wide screen; Starlight's on a 412 px phone.
await writeFile(join(site, "reserve.css"), `body { margin: 0; }
.column { width: 688px; margin-bottom: 40px; }
@media (max-width: 480px) { .column { width: 380px; } }
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
  check(example.explainedFailure === "server-certificate-untrusted", "explainError() with the README's inputs names the failure", example);
  check(example.mountedAfterDestroy === false, "mount() then destroy()", example);
  await page.waitForTimeout(300);
  check(await page.locator("#checker .pgp").count() === 0, "the destroyed mount leaves nothing");
  const elements = page.locator("pg-preflight");
  check(await elements.count() === 2, "two elements from the README's HTML");
  check(await page.locator("pg-preflight .pgp").count() === 2, "both render a checker");
  check(await elements.nth(0).locator(".pgp-role").count() === 0 && await elements.nth(0).locator(".pgp-material-panel").count() === 0,
    "panels=\"none\" shows the connection string only");
  check(await elements.nth(0).locator(".pgp-verdict").count() === 1 && await elements.nth(0).locator(".pgp-snippets, .pgp-summary-panel").count() === 0,
    "panels=\"none\" with a dsn: its findings, and no snippets or summary");
  // The element reads `panels` before the module is there (to pick its first render): it must
  // refuse exactly what mount() refuses.
  const agreement = await page.evaluate(async () => {
    const { panelsName } = await import("/pg-preflight/pg-preflight-element.js");
    const { mount } = await import("/pg-preflight/pg-preflight-web.js");
    const out = [];
    for (const panels of ["none", "connection", "all", "roles", "certificates , roles", "snippets,summary", "summary", "bogus", "roles,bogus", ""]) {
      const host = document.createElement("div");
      let refused = false;
      try { mount(host, { panels }).destroy(); } catch { refused = true; }
      out.push({ panels, refused, name: panelsName(panels) });
    }
    return out;
  });
  check(agreement.every((a) => a.refused === (a.name === null)), "the element and mount() read `panels` alike", agreement);
  check(await elements.nth(1).locator(".pgp-role").count() === 1 && await elements.nth(1).locator(".pgp-material-panel").count() === 1,
    "panels=\"certificates,roles\" shows both");
  check(/jdbc/i.test(await elements.nth(1).locator(".pgp-driver select").inputValue()), "driver=\"jdbc\" is picked");
  const themed = await elements.nth(1).locator(".pgp").evaluate((e) => getComputedStyle(e).getPropertyValue("--pgp-accent").trim());
  check(themed === "#7a3e9d", "the README's theming reaches the checker", themed);
  const body = await page.evaluate(() => ({ font: getComputedStyle(document.body).fontFamily, margin: getComputedStyle(document.body).margin }));
  check(/Georgia/.test(body.font) && body.margin === "24px", "the host page keeps its own look", body);
  const foreign = requests.filter((p) => !["/", "/site.css", "/lazy.css", "/example.js", "/favicon.svg"].includes(p) && !/^\/pg-preflight\/(pg-preflight-web\.js|pg-preflight-web_bg\.wasm|pg-preflight-element\.js|pg-preflight-element\.css|pg-preflight-api\.js|pg-preflight-shells\.js|pg-preflight-style\.js|carry-input\.js|pg-preflight\.css|pg-preflight-deferred\.js|pg-preflight-deferred_bg\.wasm|pg-preflight-explain\.js|pg-preflight-explain_bg\.wasm|snippets\/pg-preflight-web-[0-9a-f]+\/www\/deferred\.js)$/.test(p));
  check(foreign.length === 0, "only the package's and the page's own files are requested", foreign);
  check(errors.length === 0, "no error in the console", errors);
  await page.locator("pg-preflight").last().screenshot({ path: join(ROOT, "test-output", "e2e", "10-package-readme.png") }).catch(() => {});

  // ---- lazy by default: a checker far below the fold costs nothing until the reader nears it
  const lazy = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const lazyRequests = [];
  lazy.on("request", (r) => lazyRequests.push(new URL(r.url()).pathname));
  lazy.on("pageerror", (e) => errors.push(e.message));
  await lazy.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) window.__shift += e.value; })).observe({ type: "layout-shift", buffered: true });
  });
  await lazy.goto(new URL("lazy.html", server.url).href);
  await lazy.waitForLoadState("networkidle");
  const wasm = () => lazyRequests.filter((p) => p.endsWith(".wasm")).length;
  check(wasm() === 0, "a checker below the fold fetches no WebAssembly at load", lazyRequests);
  // The JS API loaded on first call: importing it fetches nothing either.
  await lazy.evaluate(() => import("/pg-preflight/pg-preflight-api.js").then((api) => { window.pgpApi = api; }));
  check(wasm() === 0, "importing pg-preflight/api fetches no WebAssembly", lazyRequests);
  const reserved = await lazy.locator("#below").evaluate((e) => e.getBoundingClientRect().height);
  check(reserved > 150 && await lazy.locator("#below textarea").count() === 1, "it shows its first render (inputs and all) at once", reserved);
  await lazy.locator("#after").scrollIntoViewIfNeeded();
  const anchor = await lazy.locator("#after").evaluate((e) => e.getBoundingClientRect().top);
  for (let i = 0; i < 100 && wasm() === 0; i++) await lazy.waitForTimeout(100);
  await lazy.waitForTimeout(1500);
  check(wasm() === 1, "nearing it fetches the WebAssembly", lazyRequests.filter((p) => p.endsWith(".wasm")));
  const started = await lazy.locator("#below").evaluate((e) => e.getBoundingClientRect().height);
  check(Math.abs(started - reserved) <= 1, "started, the checker has the height its first render gave it", { reserved, started });
  const anchorAfter = await lazy.locator("#after").evaluate((e) => e.getBoundingClientRect().top);
  check(Math.abs(anchorAfter - anchor) <= 1, "the section below does not move", { anchor, anchorAfter });
  check(await lazy.evaluate(() => window.__shift) <= 0.01, "layout shift at most 0.01", await lazy.evaluate(() => window.__shift));
  await lazy.locator("#below textarea").first().fill("host=db.example.com sslmode=require");
  await lazy.waitForSelector("#below .pgp-verdict", { timeout: 10000 }).catch(() => {});
  check(await lazy.locator("#below .pgp-verdict").count() === 1, "the started checker checks");
  await lazy.waitForTimeout(2500);
  // (The first module's 0.7 KB snippet that would load it, www/deferred.js, comes with the
  // first module's glue; the module itself does not.)
  check(!lazyRequests.some((p) => /pg-preflight-(deferred|explain)/.test(p)),
    "a checker of the connection string alone never fetches the later modules", lazyRequests.filter((p) => /deferred|explain/.test(p)));
  const headings = await lazy.locator("#below .pgp-headline, #below .pgp-group-title").evaluateAll((els) => els.map((e) => e.tagName));
  check(headings[0] === "H3" && headings.slice(1).every((t) => t === "H4"), "heading-level=\"3\": the verdict is an h3, its groups h4", headings);
  const isolated = await lazy.locator("#below .pgp-headline").evaluate((h) => {
    const style = getComputedStyle(h);
    const item = h.getRootNode().querySelector(".pgp-finding");
    const code = h.getRootNode().querySelector(".pgp-finding code");
    return { margin: style.marginTop, border: style.borderTopStyle, list: item && getComputedStyle(item).listStyleType, code: code && getComputedStyle(code).color };
  });
  check(isolated.margin === "0px" && isolated.border === "none" && isolated.list === "none" && isolated.code !== "rgb(52, 81, 178)",
    "the host's h3/li/code rules do not reach the checker (shadow root)", isolated);
  const leaked = await lazy.evaluate(() => getComputedStyle(document.querySelector("h2#after")).marginTop);
  check(leaked === "48px", "and the checker's styles do not reach the host", leaked);
  // The JS API's first call loads the module the element already loaded: one fetch in all.
  const viaApi = await lazy.evaluate(async () => (await window.pgpApi.parseConnectionString("postgresql://db/app?sslmode=require")).diagnostics.map((d) => d.code));
  check(viaApi.includes("PGP-SSL-103") && wasm() === 1, "pg-preflight/api works on first call and shares the one module load", { viaApi, wasm: wasm() });
  // ---- the host's theme switch, both ways
  const bg = () => lazy.locator("#below .pgp").evaluate((e) => getComputedStyle(e).backgroundColor);
  const lightBg = await bg();
  await lazy.evaluate(() => document.documentElement.classList.add("dark"));
  await lazy.waitForTimeout(100);
  const darkBg = await bg();
  check(lightBg === "rgb(255, 255, 255)" && darkBg === "rgb(13, 17, 23)", "html.dark turns the checker dark", { lightBg, darkBg });
  await lazy.evaluate(() => { document.documentElement.classList.remove("dark"); document.documentElement.dataset.theme = "light"; });
  await lazy.waitForTimeout(100);
  check(await bg() === "rgb(255, 255, 255)", "and back to light", await bg());
  await lazy.emulateMedia({ colorScheme: "dark" });
  await lazy.waitForTimeout(100);
  check(await bg() === "rgb(255, 255, 255)", "the page's own light theme wins over a dark system setting", await bg());
  await lazy.screenshot({ path: join(ROOT, "test-output", "e2e", "11-package-lazy.png") });

  // ---- the place reserved before the script runs (pg-preflight-element.css) is the first
  // render's height, for every first render, in a docs column and on a phone
  for (const [label, viewport] of [["a 688 px docs column", { width: 1280, height: 900 }], ["a 380 px column on a 412 px phone", { width: 412, height: 823 }]]) {
    const reservePage = await browser.newPage({ viewport });
    reservePage.on("pageerror", (e) => errors.push(e.message));
    await reservePage.goto(new URL("reserve.html", server.url).href);
    const heights = () => reservePage.evaluate((n) => Array.from({ length: n }, (_, i) => document.getElementById(`r${i}`).getBoundingClientRect().height), reserveCases.length);
    const reserved = await heights();
    // The first render, shown at once when the element is defined, then the started checker.
    const shown = await reservePage.evaluate(async (n) => {
      await import("/pg-preflight/pg-preflight-element.js");
      return Array.from({ length: n }, (_, i) => document.getElementById(`r${i}`).getBoundingClientRect().height);
    }, reserveCases.length);
    await reservePage.waitForFunction((n) => Array.from({ length: n }, (_, i) => document.getElementById(`r${i}`).shadowRoot?.querySelector(".pgp-results")).every(Boolean), reserveCases.length, { timeout: 20000 })
      .catch(() => {});
    await reservePage.waitForTimeout(1500);
    const rendered = await heights();
    const rows = reserveCases.map((panels, i) => ({ panels: panels ?? "(no panels attribute)", reserved: reserved[i], shown: Math.round(shown[i] * 100) / 100, rendered: Math.round(rendered[i] * 100) / 100 }));
    const off = rows.filter((r) => !(Math.abs(r.reserved - r.rendered) <= 0.02 * r.rendered && Math.abs(r.shown - r.rendered) <= 1));
    check(off.length === 0, `in ${label}, every first render (${rows.length}: ${rows.map((r) => r.panels).join("; ")}) fills the place reserved for it, within 2%`, { off, rows });
    await reservePage.close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(site, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
