// Runs in the benchmark page (bench.html). Exposes window.bench for scripts/bench-page.mjs:
// the page's own wasm module (../pg-preflight-web.js, as dist/ serves it) and an esbuild bundle
// of @peculiar/x509 (x509/x509.bundle.js, built by bench-page.mjs into test-output/bench/), timed in the same page.
import init, { check, inspectPem, loadDeferredModule } from "../pg-preflight-web.js";
import { X509Certificate } from "./x509/x509.bundle.js";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = (times) => ({
  runs: times.length,
  medianMs: median(times),
  p95Ms: quantile(times, 0.95),
  minMs: Math.min(...times),
  maxMs: Math.max(...times),
});

const t0 = performance.now();
await init();
// The second module (certificates and chains) too: the page fetches it while idle.
await loadDeferredModule();
const initMs = performance.now() - t0;

/// Times `fn` (synchronous or not): `warmup` untimed runs, then `runs` timed ones. A batch of
/// runs is also timed as a whole, because performance.now() is coarsened (100 µs here).
async function time(fn, { warmup, runs }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  const batchStart = performance.now();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { ...summary(times), meanMs: (performance.now() - batchStart) / runs };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/// @peculiar/x509 as a caller writes it: every certificate parsed, every self-signed one
/// (subject = issuer) verified with WebCrypto (signatureOnly), one await after the other.
/// Returns the subjects that did not verify and how many did.
async function x509VerifySelfSigned(blocks) {
  let verified = 0;
  const failedToVerify = [];
  for (const block of blocks) {
    const cert = new X509Certificate(block);
    if (cert.subject !== cert.issuer) continue;
    const ok = await cert.verify({ signatureOnly: true }).catch(() => false);
    if (ok) verified++;
    else failedToVerify.push(cert.subject);
  }
  return { verified, failedToVerify };
}

window.bench = {
  initMs,

  /// check() of a whole configuration, as the page runs it on every edit.
  async typical(input, { warmup = 30, runs = 300 } = {}) {
    const first = performance.now();
    const report = await check(input);
    const firstMs = performance.now() - first;
    const shape = {
      diagnostics: report.diagnostics.map((d) => d.code),
      certificates: report.certificates.length,
      keyMatch: report.keyMatch,
    };
    // Where the time goes: each input alone.
    const parts = {};
    for (const [name, value] of Object.entries(input)) {
      parts[name] = (await time(() => check({ [name]: value }), { warmup: 5, runs: Math.ceil(runs / 3) })).medianMs;
    }
    return { shape, firstMs, parts, ...(await time(() => check(input), { warmup, runs })) };
  },

  /// check() with a CA bundle as sslrootcert: every certificate parsed and summarised, every
  /// self-signed one's signature verified by the core.
  async bundleCore(pem, { warmup = 3, runs = 15 } = {}) {
    const first = performance.now();
    const report = await check({ ca: pem });
    const firstMs = performance.now() - first;
    const shape = {
      certificates: report.certificates.length,
      diagnostics: [...new Set(report.diagnostics.map((d) => d.code))],
    };
    // Parsing and summarising alone (inspectPem verifies no signature), for the breakdown.
    const inspectMs = (await time(() => inspectPem(pem, { as: "ca" }), { warmup: 2, runs: 7 })).medianMs;
    // Per key type: each certificate checked alone (median of 3), summed by its key.
    const byKey = {};
    for (const block of pem.match(PEM_BLOCK) ?? []) {
      const one = (await check({ ca: block })).certificates[0];
      const key = one ? `${one.keyAlgorithm}${one.keyBits ? ` ${one.keyBits}` : ""}` : "unreadable";
      const t = (await time(() => check({ ca: block }), { warmup: 1, runs: 3 })).medianMs;
      byKey[key] ??= { count: 0, totalMs: 0 };
      byKey[key].count++;
      byKey[key].totalMs += t;
    }
    return { shape, firstMs, inspectMs, byKey, ...(await time(() => check({ ca: pem }), { warmup, runs })) };
  },

  /// The same bundle with @peculiar/x509: every certificate parsed, every self-signed one
  /// (subject = issuer) verified with WebCrypto (signatureOnly).
  async bundleX509(pem, { warmup = 3, runs = 15 } = {}) {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    const once = () => x509VerifySelfSigned(blocks);
    const first = performance.now();
    const { verified, failedToVerify } = await once();
    const firstMs = performance.now() - first;
    const shape = { certificates: blocks.length, verified, failedToVerify };
    // For information, not the budget: the same with every WebCrypto verification in flight at
    // once (Promise.all), which lets the browser spread them over its worker threads — a
    // different thing from the single-threaded check, but a reader may ask.
    const concurrent = async () => {
      const selfSigned = blocks.map((b) => new X509Certificate(b)).filter((c) => c.subject === c.issuer);
      await Promise.all(selfSigned.map((c) => c.verify({ signatureOnly: true }).catch(() => false)));
    };
    const concurrentMs = (await time(concurrent, { warmup: 2, runs: 9 })).medianMs;
    return { shape, firstMs, concurrentMs, ...(await time(once, { warmup, runs })) };
  },

  /// The budget's comparison: the core's check and @peculiar/x509 (sequential awaits, as a
  /// caller writes it) timed alternately, round after round, so that whatever else the machine
  /// does falls on both alike. Medians of each, and the median of the per-round ratios.
  async bundlePaired(pem, { warmup = 3, rounds = 21 } = {}) {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    const x509 = () => x509VerifySelfSigned(blocks);
    const core = () => check({ ca: pem });
    for (let i = 0; i < warmup; i++) {
      await core();
      await x509();
    }
    const coreTimes = [];
    const x509Times = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      const order = i % 2 ? [core, x509] : [x509, core];
      for (const fn of order) {
        const start = performance.now();
        await fn();
        (fn === core ? coreTimes : x509Times).push(performance.now() - start);
      }
    }
    const ratios = coreTimes.map((c, i) => x509Times[i] / c);
    return {
      rounds,
      core: summary(coreTimes),
      x509: summary(x509Times),
      ratioMedian: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
    };
  },
};
document.getElementById("state").textContent = "ready";
