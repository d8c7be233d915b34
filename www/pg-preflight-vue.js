// Types only (pg-preflight-vue.d.ts): Vue template types for <pg-preflight>.
export {};
