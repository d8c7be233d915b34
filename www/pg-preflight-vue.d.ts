// Opt-in types for Vue templates (vue-tsc, Volar): `<pg-preflight>` and its attributes are
// checked like a component's props. Add once to a project's type declarations:
//
//   /// <reference types="pg-preflight/vue" />
//
// (Vue 3.4+ no longer reads the global JSX namespace pg-preflight-element.d.ts declares.)
import type { DefineComponent } from "vue";
import type { PgPreflightAttributes } from "./pg-preflight-element.js";

declare module "vue" {
  interface GlobalComponents {
    "pg-preflight": DefineComponent<PgPreflightAttributes>;
  }
}
