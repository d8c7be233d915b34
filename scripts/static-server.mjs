// A tiny static file server: `make serve`, the e2e tests and the benchmark
// (scripts/bench-page.mjs). It serves files as they are, with the MIME types a browser needs
// (application/wasm for instantiateStreaming), adds no headers of its own beyond those and
// `Cache-Control: no-store`, and injects nothing into HTML.
//
//   const server = await serveStatic([{ prefix: "/", dir: "dist" }], { port: 0 });
//   server.url  // http://127.0.0.1:<port>/
//   await server.close();
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".crt": "text/plain; charset=utf-8",
  ".pem": "text/plain; charset=utf-8",
};

/// The file's precompressed copy the request accepts (FILE.br, then FILE.gz, written by
/// scripts/precompress.mjs), as static hosts serve them; the file itself otherwise.
async function chooseEncoding(file, acceptEncoding = "", precompressed) {
  if (precompressed) {
    const accepted = new Set(acceptEncoding.split(",").map((e) => e.split(";")[0].trim()));
    for (const [encoding, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
      if (!accepted.has(encoding)) continue;
      const body = await readFile(file + suffix).catch(() => null);
      if (body) return { body, encoding };
    }
  }
  return { body: await readFile(file), encoding: null };
}

/// mounts: [{prefix: "/bench/", dir: "/abs/dir"}, …]; the longest matching prefix wins.
/// `precompressed`: serve FILE.br / FILE.gz when the browser accepts them (a static host).
export async function serveStatic(mounts, { port = 0, host = "127.0.0.1", precompressed = false } = {}) {
  const sorted = [...mounts]
    .map((m) => ({ prefix: m.prefix, dir: resolve(m.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      const mount = sorted.find((m) => path.startsWith(m.prefix));
      if (!mount) throw Object.assign(new Error("no mount"), { code: "ENOENT" });
      let rel = path.slice(mount.prefix.length);
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const file = normalize(join(mount.dir, rel));
      if (file !== mount.dir && !file.startsWith(mount.dir + sep)) {
        res.writeHead(403).end();
        return;
      }
      if (!(await stat(file)).isFile()) throw Object.assign(new Error("dir"), { code: "ENOENT" });
      const { body, encoding } = await chooseEncoding(file, req.headers["accept-encoding"], precompressed);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
        ...(precompressed ? { Vary: "Accept-Encoding" } : {}),
        ...(encoding ? { "Content-Encoding": encoding } : {}),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      res.writeHead(error.code === "ENOENT" ? 404 : 500, { "Content-Type": "text/plain" });
      res.end(error.code === "ENOENT" ? "not found\n" : "error\n");
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

// `node scripts/static-server.mjs DIR [PORT]`: serve one directory, with its precompressed
// copies, until killed (`make serve`).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "dist";
  const server = await serveStatic([{ prefix: "/", dir }], { port: Number(process.argv[3] ?? 0), precompressed: true });
  console.log(`serving ${dir} on ${server.url} (brotli and gzip copies when the browser accepts them)`);
}
