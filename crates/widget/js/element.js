// <arcgis-api-key-manager>: the key manager as a custom element, for any page.
//
// Attributes (and the same-named properties): `portal`, `client-id` (`clientId`),
// `view` ("list", "create" or "health"), `theme` ("light" or "dark"; otherwise the system's),
// `expose-keys` (`exposeKeys`: events carry issued keys). The `token` property (or
// attribute, which is removed as soon as it is read) signs in with a token the host
// holds. Changing `portal`, `client-id` or `token` starts a new session; `view`
// switches the screen. Events, all bubbling out of the shadow root: `signedin`,
// `signedout`, `keycreated`, `keyrotated`, `keydeleted`, `error`; see README.md.
//
// The manager lives in an open shadow root with its own style sheet: the host's CSS
// reaches it only through the documented `--arcgis-keys-*` custom properties.
import init, { mount } from "./arcgis_keys_widget.js";
import css from "./styles.js";

const ready = init();
let sheet;

/** One constructed style sheet for every instance (allowed under a strict CSP). */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

export class ArcGISApiKeyManager extends HTMLElement {
  static observedAttributes = ["portal", "client-id", "token", "view"];

  #mounted = null;
  #token = null;
  #generation = 0;

  constructor() {
    super();
    this.attachShadow({ mode: "open" }).adoptedStyleSheets = [styles()];
  }

  get portal() {
    return this.getAttribute("portal");
  }
  set portal(value) {
    this.#reflect("portal", value);
  }
  get clientId() {
    return this.getAttribute("client-id");
  }
  set clientId(value) {
    this.#reflect("client-id", value);
  }
  get view() {
    return this.getAttribute("view") ?? "list";
  }
  set view(value) {
    this.#reflect("view", value);
  }
  get exposeKeys() {
    return this.hasAttribute("expose-keys");
  }
  set exposeKeys(value) {
    this.toggleAttribute("expose-keys", Boolean(value));
  }
  /** Write-only: a token is never read back from the element. */
  get token() {
    return undefined;
  }
  set token(value) {
    this.#token = value ? String(value) : null;
    this.#remount();
  }

  connectedCallback() {
    // Properties a page set before this class was defined sit on the instance and
    // hide the accessors: pass them through.
    for (const name of ["portal", "clientId", "view", "exposeKeys", "token"]) {
      if (Object.hasOwn(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    if (!this.#mounted) this.#remount();
  }

  disconnectedCallback() {
    // Moving the element fires disconnect then connect: unmount only if it stays out.
    queueMicrotask(() => {
      if (!this.isConnected) this.#unmount();
    });
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === "token") {
      if (value === null) return;
      this.removeAttribute("token");
      this.token = value;
    } else if (name === "view") {
      this.#mounted?.setView(value ?? "list");
    } else if (this.#mounted) {
      this.#remount();
    }
  }

  #reflect(name, value) {
    if (value === null || value === undefined) this.removeAttribute(name);
    else this.setAttribute(name, value);
  }

  #unmount() {
    this.#generation += 1;
    this.#mounted?.unmount();
    this.#mounted = null;
    this.shadowRoot.replaceChildren();
  }

  async #remount() {
    this.#unmount();
    if (!this.isConnected) return;
    const generation = this.#generation;
    await ready;
    if (generation !== this.#generation || !this.isConnected) return;
    const container = document.createElement("div");
    this.shadowRoot.append(container);
    this.#mounted = mount(container, {
      portal: this.portal ?? undefined,
      clientId: this.clientId ?? undefined,
      token: this.#token ?? undefined,
      view: this.view,
      exposeKeys: this.exposeKeys,
      onEvent: (name, detail) => this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })),
    });
  }
}

if (!customElements.get("arcgis-api-key-manager")) {
  customElements.define("arcgis-api-key-manager", ArcGISApiKeyManager);
}
