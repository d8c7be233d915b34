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

export async function precompress(dir) {
  const written = [];
  for (const name of (await readdir(dir)).sort()) {
    if (!COMPRESSIBLE.has(extname(name))) continue;
    const body = await readFile(join(dir, name));
    const { br, gz } = compress(body);
    await writeFile(join(dir, `${name}.br`), br);
    await writeFile(join(dir, `${name}.gz`), gz);
    written.push({ name, raw: body.length, br: br.length, gz: gz.length });
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
