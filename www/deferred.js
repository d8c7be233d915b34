// Loads pg-preflight's second WebAssembly module (certificates, chains, role scripts) once,
// on first need. A wasm-bindgen snippet of pg-preflight-web: it lies in
// snippets/pg-preflight-web-<hash>/www/ beside that module's glue, wherever trunk, wasm-pack or
// a bundler puts them, so the module it imports is three directories up. A literal path, so
// bundlers see the import and emit the module as a chunk of their own.
let loading = null;

export function loadDeferred() {
  loading ??= import("../../../pg-preflight-deferred.js")
    .then(async (module) => {
      await module.default();
      return module;
    })
    .catch((error) => {
      // Try again on the next need: a failed .wasm fetch may succeed then (a failed import of
      // the script itself stays failed for the page's life: browsers keep module failures).
      loading = null;
      throw error;
    });
  return loading;
}
