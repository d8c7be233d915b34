#!/usr/bin/env node
// Writes a brotli (.br) and a gzip (.gz) copy beside every text and wasm file of a built page,
// as static hosts serve them (nginx gzip_static/brotli_static, Netlify, Cloudflare Pages): the
// server picks one by the request's Accept-Encoding and spends no time compressing.
//
//   node scripts/precompress.mjs [DIR]     (default: $TRUNK_STAGING_DIR, then dist)
//
// trunk's post-build hook (Trunk.toml) runs it after the prerender, so `make build` and
// `make serve` always ship both. Prints each file's sizes; the exit status is 1 when a file
// cannot be read or written.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".svg", ".json", ".txt"]);

/// The brotli and gzip bytes of `body`, at the levels a host uses for precompressed files.
export function compress(body) {
  return {
    br: brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz: gzipSync(body, { level: 9 }),
  };
}

/// Every compressible file under `dir`, in subdirectories too (a docs site's assets/).
export async function precompress(dir, prefix = "") {
  const written = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      written.push(...(await precompress(path, `${prefix}${entry.name}/`)));
      continue;
    }
    if (!COMPRESSIBLE.has(extname(entry.name))) continue;
    const body = await readFile(path);
    const { br, gz } = compress(body);
    await writeFile(`${path}.br`, br);
    await writeFile(`${path}.gz`, gz);
    written.push({ name: prefix + entry.name, raw: body.length, br: br.length, gz: gz.length });
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "dist";
  try {
    for (const f of await precompress(dir)) {
      console.log(`precompress: ${f.name} ${f.raw} bytes, brotli ${f.br}, gzip ${f.gz}`);
    }
  } catch (error) {
    console.error(`precompress: ${error.message}`);
    process.exit(1);
  }
}
