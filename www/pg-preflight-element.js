// <pg-preflight> — embeds pg-preflight in any page.
//
//   <link rel="stylesheet" href="pg-preflight.css">
//   <script type="module" src="pg-preflight-element.js"></script>
//   <pg-preflight dsn="postgresql://app@db.example.com/app?sslmode=require" driver="auto"
//                 panels="certificates,roles"></pg-preflight>
//
// Attributes (all optional, none secret): dsn, driver, panels ("certificates", "roles", "all",
// "none"; default all). Changing one starts that checker over with the new settings. Theme it
// with the --pgp-* CSS custom properties on the element (see pg-preflight.css).
//
// This file must sit beside pg-preflight-web.js and pg-preflight-web_bg.wasm: trunk's dist/
// (`make build`) or the bundle in pkg/ (`make pkg`). It only calls init() and mount(); all
// behaviour is in the module. Moving the element (remove and insert it again in one task, as
// tab widgets and routers do) keeps what the reader typed. Nothing typed into it is stored or
// sent anywhere.
import init, { mount } from "./pg-preflight-web.js";

// One module initialisation shared by every element on the page.
let ready = null;
function initialise() {
  ready ??= init();
  return ready;
}

class PgPreflightElement extends HTMLElement {
  static observedAttributes = ["dsn", "driver", "panels"];

  #handle = null;
  // Bumped whenever a pending mount must not happen any more (removed, or started over).
  #generation = 0;
  // An attribute changed while the element was out of the document (during a move, say).
  #stale = false;

  connectedCallback() {
    if (this.#handle) {
      // Moved within the page: the checker is still here, with the reader's input, unless an
      // attribute changed on the way.
      if (this.#stale) this.#restart();
      return;
    }
    this.#start();
  }

  disconnectedCallback() {
    this.#generation++;
    // A move disconnects and connects again in the same task: wait a microtask before
    // throwing the checker (and what the reader typed) away.
    queueMicrotask(() => {
      if (!this.isConnected) this.#stop();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (!this.isConnected) {
      this.#stale = true;
    } else if (this.#handle) {
      this.#restart();
    } else {
      this.#start();
    }
  }

  #options() {
    const options = {};
    for (const name of PgPreflightElement.observedAttributes) {
      const value = this.getAttribute(name);
      if (value !== null) options[name] = value;
    }
    return options;
  }

  // A fresh checker with the current attributes, in the same place (mount() again would add
  // another set of event listeners to this element).
  #restart() {
    this.#stale = false;
    try {
      this.#handle.restart(this.#options());
    } catch (error) {
      this.#stop();
      this.textContent = `pg-preflight: ${error.message}`;
    }
  }

  async #start() {
    const generation = ++this.#generation;
    try {
      await initialise();
    } catch (error) {
      // Typically a Content-Security-Policy without 'wasm-unsafe-eval' in script-src, or one
      // whose connect-src does not allow fetching the .wasm file.
      this.textContent = `pg-preflight could not load its WebAssembly module: ${error?.message ?? error}`;
      return;
    }
    if (generation !== this.#generation || !this.isConnected) return;
    this.#stale = false;
    try {
      this.#handle = mount(this, this.#options());
    } catch (error) {
      // A bad driver or panels attribute: say so where the checker would have been.
      this.textContent = `pg-preflight: ${error.message}`;
    }
  }

  #stop() {
    this.#handle?.destroy();
    this.#handle?.free();
    this.#handle = null;
  }
}

if (!customElements.get("pg-preflight")) {
  customElements.define("pg-preflight", PgPreflightElement);
}
