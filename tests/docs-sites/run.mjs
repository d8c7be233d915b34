#!/usr/bin/env node
// The package in real docs sites, as a docs author uses it (issue 15): the `npm pack` tarball
// of pkg/ installed into a VitePress site and an Astro Starlight site, each set up with the
// README's own section for it taken literally (every code block after a "`path`:" line is
// written to that path), built with the generator's server rendering, served with the build's
// brotli/gzip copies from 127.0.0.1, and driven in Debian's Chromium.
//
//   node tests/docs-sites/run.mjs --pkg pkg [--only vitepress,starlight,vue-types] [--lighthouse-runs 5]
//
// vue-types: vue-tsc (pinned in tests/docs-sites/vue-types/) with the opt-in `pg-preflight/vue`
// types accepts a template using every attribute and refuses a bad value.
//
// For each site: the element renders and checks; two elements on a page stay independent;
// client-side navigation away and back leaves them working; the site's own light/dark switch
// is followed both ways; the checker's height is within 2% of the same element on a plain page
// of the same width; nothing on the console; no request beyond the site's own files; a deep
// link to a section below a checker shows no layout shift. On the VitePress site, Lighthouse
// 12.2.3 (mobile preset, median of --lighthouse-runs, the two pages loaded alternately) compares a page with the checker below
// the fold with the same page without it. Screenshots light and dark under test-output/e2e/.
// The sites' dependencies are installed once into target/docs-sites/ (npm ci, pinned by the
// committed lockfiles). Last line: "docs-sites: N passed, N failed".
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../e2e/chromium.mjs";
import { lighthousePair } from "../../scripts/bench/page-speed.mjs";
import { precompress } from "../../scripts/precompress.mjs";
import { serveStatic } from "../../scripts/static-server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const HERE = join(ROOT, "tests/docs-sites");
const OUT = join(ROOT, "test-output/e2e");
const WORK = join(ROOT, "target/docs-sites");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const pkgDir = resolve(ROOT, option("--pkg", "pkg"));
const only = option("--only", "vitepress,starlight,vue-types").split(",");
const LIGHTHOUSE_RUNS = Number(option("--lighthouse-runs", 5));
const LIGHTHOUSE = join(ROOT, "scripts/lighthouse/node_modules/.bin/lighthouse");
const DSN = "postgresql://app@db.example.com/app?sslmode=require";

let passed = 0;
let failed = 0;
const failures = [];
let site = "";
function check(ok, what, detail) {
  if (ok) passed++;
  else {
    failed++;
    failures.push(`${site}: ${what}`);
  }
  const suffix = ok || detail === undefined ? "" : ` (${(typeof detail === "string" ? detail : JSON.stringify(detail)).slice(0, 800)})`;
  console.log(`${ok ? "ok" : "not ok"} - ${site}: ${what}${suffix}`);
  return ok;
}
const run = (cmd, argv, cwd) => execFileSync(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 1 << 26 });

// ---- the README's section for a host: "`path`:" then a fenced block
const readme = await readFile(join(ROOT, "README.md"), "utf8");
function readmeFiles(heading) {
  const start = readme.indexOf(`**${heading}**`);
  if (start < 0) return [];
  const rest = readme.slice(start + heading.length + 4);
  const end = rest.search(/^\*\*[^*]+\*\*/m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^`([^`]+)`:\n\n```[a-z]*\n([\s\S]*?)```$/gm)].map(([, path, text]) => ({ path, text }));
}

// Long filler, so a checker sits well below the fold.
const filler = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of the guide: what to prepare before you connect, and why.`).join("\n\n");

const SITES = {
  vitepress: {
    heading: "In VitePress",
    readmeFiles: 3,
    build: ["npx", ["vitepress", "build", "docs"]],
    dist: "docs/.vitepress/dist",
    connect: "connect.html",
    pages: {
      "docs/index.md": "# Our docs\n\n[Connect](./connect)\n",
      "docs/two.md": `# Two checkers\n\n<pg-preflight dsn="${DSN}" panels="none" heading-level="3"></pg-preflight>\n\n## Certificates\n\n<pg-preflight driver="jdbc" panels="certificates" heading-level="3"></pg-preflight>\n\n[Another page](./other)\n`,
      "docs/other.md": "# Another page\n\nBack to [two checkers](./two).\n",
      "docs/deep.md": `# A long guide\n\n${filler}\n\n<pg-preflight panels="none" heading-level="3"></pg-preflight>\n\n## After the checker {#after}\n\n${filler}\n`,
      "docs/plain.md": `# A long guide\n\n${filler}\n\n## After the checker {#after}\n\n${filler}\n`,
    },
    two: "two.html",
    other: "other.html",
    deep: "deep.html#after",
    plain: "plain.html",
    // VitePress's appearance switch toggles html.dark.
    toggleTheme: async (page, dark) => {
      const isDark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
      if (isDark !== dark) await page.locator("button.VPSwitchAppearance").first().click();
    },
    // The same site without pg-preflight, for Lighthouse's baseline: the theme as VitePress
    // ships it, built into another directory.
    baseline: async (dir) => {
      await writeFile(join(dir, "docs/.vitepress/theme/index.ts"), 'export { default } from "vitepress/theme";\n');
      run("npx", ["vitepress", "build", "docs", "--outDir", join(dir, "baseline-dist")], dir);
      return join(dir, "baseline-dist");
    },
  },
  starlight: {
    heading: "In Astro Starlight",
    readmeFiles: 2,
    build: ["npx", ["astro", "build"]],
    dist: "dist",
    connect: "connect/",
    pages: {
      "src/content/docs/index.md": "---\ntitle: Our docs\n---\n\n[Connect](/connect/)\n",
      "src/content/docs/two.mdx": `---\ntitle: Two checkers\n---\nimport PgPreflight from "../../components/PgPreflight.astro";\n\n<PgPreflight dsn="${DSN}" />\n\n## Certificates\n\n<PgPreflight driver="jdbc" panels="certificates" />\n\n[Another page](/other/)\n`,
      "src/content/docs/other.md": "---\ntitle: Another page\n---\n\nBack to [two checkers](/two/).\n",
      "src/content/docs/deep.mdx": `---\ntitle: A long guide\n---\nimport PgPreflight from "../../components/PgPreflight.astro";\n\n${filler}\n\n<PgPreflight />\n\n## After the checker\n\n${filler}\n`,
    },
    two: "two/",
    other: "other/",
    deep: "deep/#after-the-checker",
    // Starlight's theme select sets html[data-theme].
    toggleTheme: async (page, dark) => {
      await page.locator("starlight-theme-select select").first().selectOption(dark ? "dark" : "light");
    },
  },
};

// ---- packed once
const packDir = await mkdtemp(join(tmpdir(), "pgp-docs-pack-"));
const tarball = join(packDir, run("npm", ["pack", pkgDir, "--pack-destination", packDir, "--quiet"]).trim().split("\n").pop());

async function newer(a, b) {
  try {
    return (await stat(a)).mtimeMs > (await stat(b)).mtimeMs;
  } catch {
    return false;
  }
}

/// The site's directory under target/docs-sites/: its scaffold, its dependencies (npm ci when
/// the lockfile changed), the packed package, the README's files and the test pages.
async function prepare(name, spec) {
  const dir = join(WORK, name);
  await mkdir(dir, { recursive: true });
  for (const stale of ["docs", "src", "public", "baseline-dist", spec.dist]) await rm(join(dir, stale), { recursive: true, force: true });
  await cp(join(HERE, name), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  if (!(await newer(join(dir, "node_modules/.package-lock.json"), join(HERE, name, "package-lock.json")))) {
    console.log(`docs-sites: npm ci in ${dir}`);
    run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  }
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball], dir);
  const files = readmeFiles(spec.heading);
  check(files.length >= spec.readmeFiles, `the README's "${spec.heading}" section names its ${spec.readmeFiles} files`, files.map((f) => f.path));
  for (const { path, text } of [...files, ...Object.entries(spec.pages).map(([path, text]) => ({ path, text }))]) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function watch(page, origin) {
  const records = { requests: [], errors: [] };
  page.on("request", (r) => records.requests.push(r.url()));
  page.on("pageerror", (e) => records.errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // No site here has a favicon.ico: Chromium's own request for it is not the page's error.
    if (/favicon\.ico$/.test(m.location()?.url ?? "")) return;
    records.errors.push(m.text());
  });
  records.foreign = () => records.requests.filter((u) => !u.startsWith(origin) && !/^(data|blob):/.test(u));
  return records;
}

/// The element's first checker started: near the viewport, the wasm loaded and mounted.
async function started(page, element) {
  await element.scrollIntoViewIfNeeded();
  await element.locator(".pgp .pgp-controls").first().waitFor({ timeout: 20000 });
  await page.waitForFunction((e) => e.shadowRoot?.querySelector(".pgp-results"), await element.elementHandle(), { timeout: 20000 });
  await page.waitForTimeout(800);
}

/// `started` for an element a client-side router has just put back: the router may replace the
/// page's content after the URL changed, detaching what the locator first found, so a detached
/// element is looked up again (a locator re-resolves) a few times before that counts as failure.
async function startedAfterNavigation(page, element) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await started(page, element);
    } catch (error) {
      if (attempt >= 4 || !/not attached to the DOM/.test(String(error))) throw error;
      await page.waitForTimeout(500);
    }
  }
}

async function verdictOf(element) {
  return element.locator(".pgp-verdict").getAttribute("data-outcome", { timeout: 8000 }).catch(() => null);
}

/// The layout shift after following a link to a section (a 412 px phone), with its sources.
async function deepLinkShift(browser, link) {
  const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
  try {
    await page.addInitScript(() => {
      window.__shift = { total: 0, sources: [] };
      new PerformanceObserver((l) => l.getEntries().forEach((e) => {
        if (e.hadRecentInput) return;
        window.__shift.total += e.value;
        for (const s of e.sources ?? []) {
          window.__shift.sources.push(`${s.node?.nodeName}.${s.node?.className ?? ""} ${Math.round(s.previousRect.y)}->${Math.round(s.currentRect.y)} ${e.value.toFixed(3)}`);
        }
      })).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(link);
    await page.waitForTimeout(3000);
    return await page.evaluate(() => window.__shift);
  } finally {
    await page.close();
  }
}

async function leastDeepLinkShift(browser, link) {
  const loads = [];
  for (let i = 0; i < 3; i++) loads.push(await deepLinkShift(browser, link));
  return loads.reduce((least, load) => (load.total < least.total ? load : least));
}

/// The same element on a plain page of the same width: the standalone embed.
async function standaloneHeight(browser, width, attributes) {
  const dir = await mkdtemp(join(tmpdir(), "pgp-standalone-"));
  await writeFile(join(dir, "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>standalone</title>
<script type="module" src="/pg-preflight/pg-preflight-element.js"></script></head>
<body style="margin:0"><div style="width:${width}px"><pg-preflight ${attributes} loading="eager"></pg-preflight></div></body></html>`);
  const server = await serveStatic([{ prefix: "/pg-preflight/", dir: pkgDir }, { prefix: "/", dir }]);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(server.url);
    const element = page.locator("pg-preflight");
    await started(page, element);
    return await element.evaluate((e) => e.getBoundingClientRect().height);
  } finally {
    await page.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/// Vue templates know <pg-preflight> and its attributes with the opt-in `pg-preflight/vue`
/// types: vue-tsc accepts a template using every attribute well and refuses a bad value.
async function vueTypes() {
  site = "vue-types";
  const dir = join(WORK, "vue-types");
  await mkdir(dir, { recursive: true });
  await rm(join(dir, "src"), { recursive: true, force: true });
  await cp(join(HERE, "vue-types"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  if (!(await newer(join(dir, "node_modules/.package-lock.json"), join(HERE, "vue-types", "package-lock.json")))) {
    console.log(`docs-sites: npm ci in ${dir}`);
    run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  }
  run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball], dir);
  const vueTsc = () => {
    try {
      return { ok: true, out: run("npx", ["vue-tsc", "--noEmit", "-p", "."], dir) };
    } catch (error) {
      return { ok: false, out: `${error.stdout ?? ""}${error.stderr ?? ""}` };
    }
  };
  const good = vueTsc();
  check(good.ok, "vue-tsc accepts <pg-preflight> with every attribute, the element and the API types", good.out.slice(-1500));
  await writeFile(join(dir, "src/Bad.vue"), '<script setup lang="ts">\nimport "pg-preflight/element";\n</script>\n<template>\n  <pg-preflight loading="sometimes"></pg-preflight>\n</template>\n');
  const bad = vueTsc();
  check(!bad.ok && /TS2322/.test(bad.out) && /sometimes/.test(bad.out), "vue-tsc refuses loading=\"sometimes\" on <pg-preflight>", bad.out.slice(-800));
}

if (only.includes("vue-types")) {
  try {
    await vueTypes();
  } catch (error) {
    check(false, "ran to the end", error.stack ?? error.message);
  }
}

const browser = await launchChromium();
try {
  for (const [name, spec] of Object.entries(SITES)) {
    if (!only.includes(name)) continue;
    site = name;
    const started_ = Date.now();
    let dir;
    try {
      dir = await prepare(name, spec);
      run(spec.build[0], spec.build[1], dir);
      check(true, "builds with its server rendering, importing the element");
    } catch (error) {
      check(false, "builds with its server rendering, importing the element", `${error.stdout ?? ""}${error.stderr ?? error.message}`.slice(-1500));
      continue;
    }
    const dist = join(dir, spec.dist);
    await precompress(dist);
    const server = await serveStatic([{ prefix: "/", dir: dist }], { precompressed: true });
    let baseline = null;
    if (spec.baseline) {
      const baselineDist = await spec.baseline(dir);
      await precompress(baselineDist);
      baseline = await serveStatic([{ prefix: "/", dir: baselineDist }], { precompressed: true });
    }
    const origin = new URL(server.url).origin;
    const url = (path) => new URL(path, server.url).href;
    try {
      // -- the README's page: renders and checks
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const records = watch(page, origin);
      await page.goto(url(spec.connect));
      const element = page.locator("pg-preflight").first();
      await started(page, element);
      check((await verdictOf(element)) === "warning", "the README's page: the element renders and checks its dsn", await verdictOf(element));
      const width = await element.evaluate((e) => e.getBoundingClientRect().width);
      const height = await element.evaluate((e) => e.getBoundingClientRect().height);
      const standalone = await standaloneHeight(browser, Math.round(width), `dsn="${DSN}" panels="none" heading-level="3"`);
      check(Math.abs(height - standalone) <= 0.02 * standalone, "the checker's height in the site is within 2% of the standalone embed's", { height, standalone, width });
      const headline = await element.locator(".pgp-headline").evaluate((h) => h.tagName);
      check(headline === "H3", "heading-level from the README: the verdict is an h3 under the page's h2s", headline);

      // -- the site's theme switch, both ways
      const background = () => element.locator(".pgp").evaluate((e) => getComputedStyle(e).backgroundColor);
      await spec.toggleTheme(page, true);
      await page.waitForTimeout(300);
      const dark = await background();
      await page.screenshot({ path: join(OUT, `14-${name}-dark.png`) });
      await spec.toggleTheme(page, false);
      await page.waitForTimeout(300);
      const light = await background();
      await page.screenshot({ path: join(OUT, `14-${name}-light.png`) });
      check(dark === "rgb(13, 17, 23)" && light === "rgb(255, 255, 255)", "the site's light/dark switch is followed both ways", { dark, light });

      // -- two elements, independent; away and back
      await page.goto(url(spec.two));
      const first = page.locator("pg-preflight").nth(0);
      const second = page.locator("pg-preflight").nth(1);
      await started(page, first);
      await started(page, second);
      await second.getByRole("textbox", { name: "Connection string" }).fill("jdbc:postgresql://db.example.com/app?sslmode=disable");
      await page.waitForTimeout(800);
      check((await verdictOf(second)) !== null && (await verdictOf(first)) === "warning", "two elements check their own strings", { first: await verdictOf(first), second: await verdictOf(second) });
      check((await first.getByRole("textbox", { name: "Connection string" }).inputValue()) === DSN, "the first keeps its own string");
      await page.getByRole("main").getByRole("link", { name: "Another page", exact: true }).click();
      await page.waitForURL((u) => u.href.includes(spec.other.replace(/\/$/, "")));
      await page.goBack();
      await page.waitForURL((u) => u.href.includes(spec.two.replace(/\/$/, "")));
      const back = page.locator("pg-preflight").nth(1);
      await startedAfterNavigation(page, back);
      await back.getByRole("textbox", { name: "Connection string" }).fill("jdbc:postgresql://db.example.com/app?sslmode=verify-full");
      await page.waitForTimeout(800);
      check((await verdictOf(back)) !== null, "after navigating away and back, the checkers work", await verdictOf(back));
      check(records.errors.length === 0, "nothing on the console", records.errors);
      check(records.foreign().length === 0, "no request beyond the site's own files", records.foreign());
      await page.close();

      // -- a deep link to a section below a checker: the shift it adds to the site's own (the
      // same link on the same page of the site built without pg-preflight; VitePress's own
      // layout shifts by about 0.06 on a phone after such a link)
      // The least of three loads each: VitePress's own shift after such a link comes in some
      // loads and not others (CI15a saw 0.058 from DIV.VPContent with the checker and 0 without
      // it, then the rerun passed), and what the checker adds shows in every load.
      const shift = await leastDeepLinkShift(browser, url(spec.deep));
      const own = baseline ? await leastDeepLinkShift(browser, new URL(spec.plain + spec.deep.replace(/^[^#]*/, ""), baseline.url).href) : { total: 0, sources: [] };
      check(shift.total - own.total <= 0.01, "a deep link below a checker: the checker adds at most 0.01 of layout shift", { with: shift, without: own });

      // -- Lighthouse: the checker below the fold against the same page of the same site built
      // without pg-preflight
      if (baseline) {
        const [withIt, without] = await lighthousePair(
          LIGHTHOUSE,
          url(spec.deep.replace(/#.*/, "")),
          new URL(spec.plain, baseline.url).href,
          "mobile",
          LIGHTHOUSE_RUNS,
        );
        const perf = [withIt.scores.performance, without.scores.performance];
        const tbt = [withIt.audits["total-blocking-time"], without.audits["total-blocking-time"]];
        const bytes = [withIt.audits["total-byte-weight"], without.audits["total-byte-weight"]];
        const figures = { performance: perf, blockingMs: tbt, bytes, runs: LIGHTHOUSE_RUNS };
        console.log(`docs-sites: ${name} Lighthouse mobile, median of ${LIGHTHOUSE_RUNS}, with / without the checker: ${JSON.stringify(figures)}`);
        // In whole points (Lighthouse reports 0.97, 0.98, …): 0.98 - 0.97 is 0.010000000000000009
        // in floating point, one point all the same.
        const points = (score) => Math.round(score * 100);
        check(points(perf[1]) - points(perf[0]) <= 1, "Lighthouse: performance within 1 point of the page without the checker", figures);
        check(tbt[0] - tbt[1] <= 30, "Lighthouse: blocking time within 30 ms", figures);
        check(bytes[0] - bytes[1] <= 15 * 1024, "Lighthouse: bytes within 15 KiB", figures);
      }
    } catch (error) {
      check(false, "ran to the end", error.stack ?? error.message);
    } finally {
      await server.close();
      await baseline?.close();
    }
    console.log(`# ${name}: ${Date.now() - started_} ms`);
  }
} finally {
  await browser.close();
  await rm(packDir, { recursive: true, force: true });
}
if (failures.length) console.log(`\nfailed checks:\n  ${failures.join("\n  ")}`);
console.log(`docs-sites: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
