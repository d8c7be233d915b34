// A tiny static file server for the e2e tests' optional `--dist` mode and for the benchmark
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
  ".json": "application/json",
  ".crt": "text/plain; charset=utf-8",
  ".pem": "text/plain; charset=utf-8",
};

/// mounts: [{prefix: "/bench/", dir: "/abs/dir"}, …]; the longest matching prefix wins.
export async function serveStatic(mounts, { port = 0, host = "127.0.0.1" } = {}) {
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
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
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

// `node tests/e2e/static-server.mjs DIR [PORT]`: serve one directory until killed.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? "dist";
  const server = await serveStatic([{ prefix: "/", dir }], { port: Number(process.argv[3] ?? 0) });
  console.log(`serving ${dir} on ${server.url}`);
}
