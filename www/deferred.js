// Loads pg-preflight's WebAssembly modules that come when first needed, each once: the second
// module (certificates, chains, role scripts) and the errors panel's module. A wasm-bindgen
// snippet of pg-preflight-web: it lies in snippets/pg-preflight-web-<hash>/www/ beside that
// module's glue, wherever trunk, wasm-pack or a bundler puts them, so the modules it imports
// are three directories up. Literal paths, so bundlers see the imports and emit each module as
// a chunk of its own.
let loadingDeferred = null;
let loadingExplain = null;

export function loadDeferred() {
  loadingDeferred ??= initialised(import("../../../pg-preflight-deferred.js"), () => {
    loadingDeferred = null;
  });
  return loadingDeferred;
}

export function loadExplain() {
  loadingExplain ??= initialised(import("../../../pg-preflight-explain.js"), () => {
    loadingExplain = null;
  });
  return loadingExplain;
}

function initialised(importing, forget) {
  return importing
    .then(async (module) => {
      await module.default();
      return module;
    })
    .catch((error) => {
      // Try again on the next need: a failed .wasm fetch may succeed then (a failed import of
      // the script itself stays failed for the page's life: browsers keep module failures).
      forget();
      throw error;
    });
}
