// The JS API, loaded on first call: importing this module fetches nothing; the first call of
// any function fetches and initialises the WebAssembly module beside it (once, shared with
// every <pg-preflight> on the page), so a docs page pays for it only when a reader uses it.
//
//   import { check, parseConnectionString } from "pg-preflight/api";
//   const analysis = await parseConnectionString("postgresql://db/app?sslmode=require");
//
// Each function is the module's own (pg-preflight-web.js, its types there), returning a Promise.
let ready = null;

/** The initialised module (pg-preflight-web.js), loaded on first need. */
export function load() {
  ready ??= import("./pg-preflight-web.js").then(async (module) => {
    await module.default();
    return module;
  });
  return ready;
}

export const parseConnectionString = async (...args) => (await load()).parseConnectionString(...args);
export const check = async (...args) => (await load()).check(...args);
export const explainError = async (...args) => (await load()).explainError(...args);
export const inspectPem = async (...args) => (await load()).inspectPem(...args);
export const generateRoleScript = async (...args) => (await load()).generateRoleScript(...args);
export const rules = async (...args) => (await load()).rules(...args);
export const mount = async (...args) => (await load()).mount(...args);
