// <pg-preflight> — embeds pg-preflight in any page.
//
//   <link rel="stylesheet" href="pg-preflight.css">
//   <script type="module" src="pg-preflight-element.js"></script>
//   <pg-preflight dsn="postgresql://app@db.example.com/app?sslmode=require" driver="auto"
//                 panels="certificates,roles"></pg-preflight>
//
// Attributes (all optional, none secret): dsn, driver, panels ("certificates", "roles", "all",
// "none"; default all). Theme it with the --pgp-* CSS custom properties on the element.
//
// This file must sit beside pg-preflight-web.js and pg-preflight-web_bg.wasm: trunk's dist/
// (`make build`) or the npm-style bundle in pkg/ (`make pkg`). It only calls mount(); all behaviour is in the module.
// Attributes are read when the element is connected; change them and re-insert the element to
// start over. Nothing typed into it is stored or sent anywhere.
import init, { mount } from "./pg-preflight-web.js";

// One module initialisation shared by every element on the page.
let ready = null;
function initialise() {
  ready ??= init();
  return ready;
}

class PgPreflightElement extends HTMLElement {
  #handle = null;
  // Bumped on every connect/disconnect so a mount that finishes after the element was removed
  // again does not leave an app behind.
  #generation = 0;

  async connectedCallback() {
    const generation = ++this.#generation;
    await initialise();
    if (generation !== this.#generation || !this.isConnected) return;
    const options = {};
    const dsn = this.getAttribute("dsn");
    const driver = this.getAttribute("driver");
    const panels = this.getAttribute("panels");
    if (dsn !== null) options.dsn = dsn;
    if (driver !== null) options.driver = driver;
    if (panels !== null) options.panels = panels;
    try {
      this.#handle = mount(this, options);
    } catch (error) {
      // A bad driver attribute: say so where the checker would have been.
      this.textContent = `pg-preflight: ${error.message}`;
    }
  }

  disconnectedCallback() {
    this.#generation++;
    this.#handle?.destroy();
    this.#handle?.free();
    this.#handle = null;
  }
}

if (!customElements.get("pg-preflight")) {
  customElements.define("pg-preflight", PgPreflightElement);
}
