// <pg-preflight> — embeds pg-preflight in any page.
//
//   <link rel="stylesheet" href="pg-preflight.css">
//   <script type="module" src="pg-preflight-element.js"></script>
//   <pg-preflight dsn="postgresql://app@db.example.com/app?sslmode=require" driver="auto"
//                 panels="certificates,roles"></pg-preflight>
//
// Attributes (all optional, none secret): dsn, driver, panels ("certificates", "roles",
// "errors" (paste the error you got), "snippets", "summary", comma-separated, each opt-in; "all"; "connection" (the default) or
// "none": the string alone), loading ("lazy", the default, or "eager"), theme ("auto", the default, "light" or
// "dark"), heading-level (1 to 5, default 2), findings ("open", the default, or "collapsed":
// folded under their one-line summary). Changing dsn, driver, panels, heading-level or
// findings starts that checker over.
//
// Free until the reader reaches it: the element shows its checker's first render at once
// (pg-preflight-shells.js, rendered at build time), so it takes its final place on the page,
// and fetches and starts the WebAssembly only when it comes within a viewport of being seen or
// gets focus (loading="eager": at once). Text typed into it before then is kept.
//
// Safe to import where there is no DOM (server-side rendering in VitePress, Astro, Docusaurus):
// it then defines nothing and loads nothing.
//
// Isolated: the checker renders in the element's shadow root with its own styles adopted
// there, so no host stylesheet restyles it and none of its styles leaves it; the --pgp-*
// custom properties (and the font) still inherit into it. heading-level="3" puts its section
// headings under a host's <h2> (default 2).
//
// Theme: theme="auto" follows the page — `html.dark`, `[data-theme=dark|light]`,
// `[data-bs-theme=dark|light]` on <html> or <body>, or an explicit `color-scheme` on <html> —
// and the reader's system setting otherwise, also when the page switches later. The --pgp-*
// CSS custom properties on the element override colours (see pg-preflight.css).
//
// This file must sit beside pg-preflight-web.js, pg-preflight-web_bg.wasm,
// pg-preflight-shells.js, pg-preflight-style.js, pg-preflight-api.js and carry-input.js: trunk's dist/
// (`make build`) or the package in pkg/ (`make pkg`). Moving the element (remove and insert it again in one task, as tab widgets and
// routers do) keeps what the reader typed. Nothing typed into it is stored or sent anywhere.
import { SHELLS } from "./pg-preflight-shells.js";
import { STYLE } from "./pg-preflight-style.js";
import { giveBack, noteTyped } from "./carry-input.js";
// One module load and initialisation shared by every element and the JS API, on first need.
import { load as loadModule } from "./pg-preflight-api.js";

/** The name of the first render (the key of SHELLS) for a `panels` attribute, read as the
 * module's mount() reads it (Panels::shell_name: snippets and the summary show only once
 * something is checked), or null when mount() will refuse it. */
export function panelsName(attribute) {
  if (attribute === null || attribute === undefined) return "connection";
  // The panels that change a first render, in Panels::shell_name's order.
  const shown = { certificates: false, roles: false, errors: false };
  for (const name of attribute.split(",").map((n) => n.trim()).filter(Boolean)) {
    if (name === "all") return "certificates,roles,errors";
    if (name in shown) shown[name] = true;
    else if (!["none", "connection", "snippets", "summary"].includes(name)) return null;
  }
  return Object.keys(shown).filter((name) => shown[name]).join(",") || "connection";
}

/** The page's own theme by the conventions docs generators use, or null to follow the
 * reader's system setting. */
export function pageTheme(doc = document) {
  for (const element of [doc.documentElement, doc.body]) {
    if (!element) continue;
    if (element.classList.contains("dark")) return "dark";
    for (const attribute of ["data-theme", "data-bs-theme"]) {
      const value = element.getAttribute(attribute);
      if (value === "dark" || value === "light") return value;
    }
  }
  // VitePress marks only the dark theme with a class; its light theme (and many sites')
  // declares color-scheme on <html>.
  const scheme = getComputedStyle(doc.documentElement).colorScheme.trim();
  return scheme === "dark" || scheme === "light" ? scheme : null;
}


const elements = new Set();

// One constructed stylesheet shared by every element's shadow root. A browser that cannot
// adopt one (before Safari 16.4) gets the checker in the element itself, styled by a
// pg-preflight.css the page links: no URL is built here for a bundler to rewrite.
const canAdopt =
  typeof Document !== "undefined" && "adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype;
let sharedSheet = null;
function adoptStyles(shadow) {
  if (!sharedSheet) {
    sharedSheet = new CSSStyleSheet();
    sharedSheet.replaceSync(STYLE);
  }
  shadow.adoptedStyleSheets = [sharedSheet];
}

/** Sets data-pgp-theme (pg-preflight.css's palette switch) to the theme in force. */
function applyTheme(element) {
  const chosen = element.getAttribute("theme");
  const system = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  element.dataset.pgpTheme = chosen === "light" || chosen === "dark" ? chosen : pageTheme() ?? system;
}

// The page's theme switches (a class or attribute on <html>/<body>, or the system setting).
let themeWatch = null;
function watchTheme() {
  if (themeWatch) return;
  const update = () => elements.forEach(applyTheme);
  themeWatch = new MutationObserver(update);
  for (const element of [document.documentElement, document.body].filter(Boolean)) {
    themeWatch.observe(element, { attributes: true, attributeFilter: ["class", "data-theme", "data-bs-theme", "style"] });
  }
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", update);
}

// Starts an element when it comes within one viewport of being seen.
let nearViewport = null;
/** Whether a `panels` attribute shows an input that the second module (certificates, chains,
 * role scripts) serves. */
function needsDeferred(attribute) {
  const name = panelsName(attribute);
  return name !== null && (name.includes("certificates") || name.includes("roles"));
}

/** Whether the checker shows the errors panel, whose module loads while idle after mount. */
function needsExplain(attribute) {
  return panelsName(attribute)?.includes("errors") ?? false;
}

/** Runs `task` when the browser is idle (or soon, where it cannot say). */
function whenIdle(task) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(task, { timeout: 2000 });
  else setTimeout(task, 200);
}

function whenNear(element, start) {
  if (typeof IntersectionObserver === "undefined") return start();
  nearViewport ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          nearViewport.unobserve(entry.target);
          entry.target.dispatchEvent(new Event("pgp-near"));
        }
      }
    },
    { rootMargin: "100% 0px 100% 0px" },
  );
  element.addEventListener("pgp-near", start, { once: true });
  nearViewport.observe(element);
}

function defineElement() {
  return class PgPreflightElement extends HTMLElement {
    static observedAttributes = ["dsn", "driver", "panels", "theme", "heading-level", "findings"];

    #handle = null;
    // The element the checker renders into, inside the shadow root.
    #mountPoint = null;
    // Bumped whenever a pending mount must not happen any more (removed, or started over).
    #generation = 0;
    // An attribute changed while the element was out of the document (during a move, say).
    #stale = false;
    #waiting = false;

    connectedCallback() {
      elements.add(this);
      applyTheme(this);
      watchTheme();
      if (this.#handle) {
        // Moved within the page: the checker is still here, with the reader's input, unless an
        // attribute changed on the way.
        if (this.#stale) this.#restart();
        return;
      }
      this.#wait();
    }

    disconnectedCallback() {
      this.#generation++;
      // A move disconnects and connects again in the same task: wait a microtask before
      // throwing the checker (and what the reader typed) away.
      queueMicrotask(() => {
        if (!this.isConnected) {
          elements.delete(this);
          nearViewport?.unobserve(this);
          this.#waiting = false;
          this.#stop();
        }
      });
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (oldValue === newValue) return;
      if (name === "theme") {
        applyTheme(this);
      } else if (!this.isConnected) {
        this.#stale = true;
      } else if (this.#handle) {
        this.#restart();
      } else if (this.#waiting) {
        this.#showShell();
      }
    }

    #options() {
      const options = {};
      for (const name of ["dsn", "driver", "panels", "findings"]) {
        const value = this.getAttribute(name);
        if (value !== null) options[name] = value;
      }
      const level = this.getAttribute("heading-level");
      if (level !== null) options.headingLevel = Number(level);
      return options;
    }

    #root() {
      if (!this.#mountPoint) {
        this.#mountPoint = document.createElement("div");
        this.#mountPoint.className = "pgp-host";
        if (canAdopt) {
          const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
          adoptStyles(shadow);
          shadow.append(this.#mountPoint);
        } else {
          this.replaceChildren(this.#mountPoint);
        }
      }
      return this.#mountPoint;
    }

    #say(message) {
      this.#root().textContent = message;
    }

    // The checker's first render, in place at once; started when near (or at once if eager).
    #wait() {
      if (this.#waiting) return;
      this.#waiting = true;
      // Above the viewport (the page opened at a section below it): keep the reserved size
      // until the reader comes near (pg-preflight-element.css), so what they look at stays.
      if (this.getBoundingClientRect().bottom <= 0) this.dataset.pgpAbove = "";
      this.#showShell();
      const start = () => {
        if (this.#waiting) this.#start();
      };
      if (this.getAttribute("loading") === "eager") {
        start();
      } else {
        this.addEventListener("focusin", start, { once: true });
        whenNear(this, start);
      }
    }

    #showShell() {
      const shell = SHELLS[panelsName(this.getAttribute("panels"))];
      if (shell === undefined) return;
      const root = this.#root();
      root.innerHTML = shell;
      const dsn = this.getAttribute("dsn");
      const input = root.querySelector(".pgp-controls textarea");
      if (dsn !== null && input) input.defaultValue = dsn;
    }

    // A fresh checker with the current attributes, in the same place (mount() again would add
    // another set of event listeners to this element).
    #restart() {
      this.#stale = false;
      try {
        this.#handle.restart(this.#options());
      } catch (error) {
        this.#stop();
        this.#say(`pg-preflight: ${error.message}`);
      }
    }

    async #start() {
      this.#waiting = false;
      delete this.dataset.pgpAbove;
      const generation = ++this.#generation;
      let module;
      try {
        module = await loadModule();
      } catch (error) {
        // Typically a Content-Security-Policy without 'wasm-unsafe-eval' in script-src, or one
        // whose connect-src does not allow fetching the .wasm file.
        this.#say(`pg-preflight could not load its WebAssembly module: ${error?.message ?? error}`);
        return;
      }
      if (generation !== this.#generation || !this.isConnected) return;
      this.#stale = false;
      const root = this.#root();
      const typed = noteTyped(root);
      try {
        this.#handle = module.mount(root, this.#options());
      } catch (error) {
        // A bad driver, panels or heading-level attribute: say so where the checker would be.
        this.#say(`pg-preflight: ${error.message}`);
        return;
      }
      // mount() renders from a microtask; a task runs after it.
      await new Promise((resolve) => setTimeout(resolve));
      if (generation === this.#generation) giveBack(typed, root);
      // A checker with certificate or role panels fetches the second module (certificates,
      // chains, role scripts) while the page is idle, and one with the errors panel that
      // panel's module, so each is there when a reader pastes; the string alone needs neither.
      const panels = this.getAttribute("panels");
      if (needsDeferred(panels)) whenIdle(() => module.loadDeferredModule().catch(() => {}));
      if (needsExplain(panels)) whenIdle(() => module.loadExplainModule().catch(() => {}));
    }

    #stop() {
      this.#handle?.destroy();
      this.#handle?.free();
      this.#handle = null;
    }
  };
}

if (typeof HTMLElement !== "undefined" && typeof customElements !== "undefined" && !customElements.get("pg-preflight")) {
  customElements.define("pg-preflight", defineElement());
}
