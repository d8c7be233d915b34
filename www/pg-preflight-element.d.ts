// Types for <pg-preflight> (pg-preflight-element.js): TypeScript knows the element from
// document.querySelector("pg-preflight") and createElement, and JSX templates (Vue with JSX,
// Preact, Solid, Astro) know its attributes. Importing the file registers the element.

/** The attributes of <pg-preflight>; none of them is secret. */
export interface PgPreflightAttributes {
  /** A connection string to start with (an example in your documentation). */
  dsn?: string;
  /** A driver name (`libpq`, `jdbc`, `node`, `asyncpg`, `sqlalchemy`, `pgx`, `prisma`,
   * `npgsql`) or `auto` (the default). */
  driver?: string;
  /** What shows beside the connection string, comma-separated: `certificates`, `roles`,
   * `errors` ("Paste the error you got": a client's error message explained against the
   * inputs), `snippets`, `summary`, each opt-in; `all`; or `connection` (the default) / `none`
   * for the string alone. */
  panels?: string;
  /** `lazy` (the default): fetch and start the WebAssembly when the element comes within a
   * viewport of being seen or gets focus; `eager`: at once. */
  loading?: "lazy" | "eager";
  /** `auto` (the default) follows the page's theme switch and the reader's system setting. */
  theme?: "auto" | "light" | "dark";
  /** The level of the checker's section headings, 1 to 5 (default 2). */
  "heading-level"?: string | number;
  /** `collapsed`: the findings start folded under their one-line summary; `open` (default). */
  findings?: "open" | "collapsed";
}

/** The <pg-preflight> element (registered by importing this module where a DOM exists). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PgPreflightElement extends HTMLElement {}

/** The canonical name of a `panels` attribute, or null when it names an unknown panel. */
export declare function panelsName(attribute: string | null | undefined): string | null;

/** The page's theme by the conventions docs generators use, or null to follow the system. */
export declare function pageTheme(doc?: Document): "light" | "dark" | null;

declare global {
  interface HTMLElementTagNameMap {
    "pg-preflight": PgPreflightElement;
  }
  namespace JSX {
    interface IntrinsicElements {
      "pg-preflight": PgPreflightAttributes & { [attribute: string]: unknown };
    }
  }
}
