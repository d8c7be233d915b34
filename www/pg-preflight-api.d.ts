// Types for the JS API loaded on first call (pg-preflight-api.js): the module's own functions
// (pg-preflight-web.d.ts), each returning a Promise (of the same result where the function
// returns one already).
import type * as api from "./pg-preflight-web.js";

/** The initialised module, loaded on first need. */
export declare function load(): Promise<typeof api>;
export declare function parseConnectionString(...args: Parameters<typeof api.parseConnectionString>): Promise<Awaited<ReturnType<typeof api.parseConnectionString>>>;
export declare function check(...args: Parameters<typeof api.check>): Promise<Awaited<ReturnType<typeof api.check>>>;
export declare function explainError(...args: Parameters<typeof api.explainError>): Promise<Awaited<ReturnType<typeof api.explainError>>>;
export declare function inspectPem(...args: Parameters<typeof api.inspectPem>): Promise<Awaited<ReturnType<typeof api.inspectPem>>>;
export declare function generateRoleScript(...args: Parameters<typeof api.generateRoleScript>): Promise<Awaited<ReturnType<typeof api.generateRoleScript>>>;
export declare function rules(...args: Parameters<typeof api.rules>): Promise<Awaited<ReturnType<typeof api.rules>>>;
export declare function mount(...args: Parameters<typeof api.mount>): Promise<Awaited<ReturnType<typeof api.mount>>>;
