// <arcgis-api-key-manager>: the key manager as a custom element, for any page.
//
// Attributes (and the same-named properties): `portal`, `client-id` (`clientId`),
// `view` ("list", "create", "health" or "organization"), `theme` ("light" or "dark"; otherwise the system's),
// `expose-keys` (`exposeKeys`: events carry issued keys). The `token` property (or
// attribute, which is removed as soon as it is read) signs in with a token the host
// holds. Changing `portal`, `client-id` or `token` starts a new session; `view`
// switches the screen and `expose-keys` applies to the next event. Events, all bubbling out of the shadow root: `signedin`,
// `signedout`, `keycreated`, `keyrotated`, `keydeleted`, `error`; see README.md.
//
// The manager lives in an open shadow root with its own style sheet: the host's CSS
// reaches it only through the documented `--arcgis-keys-*` custom properties.
import init, { mount } from "./arcgis_keys_widget.js";
import css from "./styles.js";

const ready = init();
let sheet;

/** Dispatches the manager's event `name` from `element`, out of the shadow root. */
function announce(element, name, detail) {
  element.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** One constructed style sheet for every instance (allowed under a strict CSP). */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

/**
 * The ArcGIS API key manager: sign in, list, create, rotate and retire API keys.
 *
 * @summary Manage ArcGIS API keys in any page.
 * @tag arcgis-api-key-manager
 * @attr {string} portal - The portal's URL the sign-in form offers.
 * @attr {string} client-id - The OAuth app "Sign in with ArcGIS" uses.
 * @attr {"list" | "create" | "health" | "organization"} view - The screen once signed in ("organization": every member's keys, for an administrator).
 * @attr {boolean} expose-keys - Events carry issued keys; a change applies to the next event.
 * @attr {"light" | "dark"} theme - Light or dark; otherwise the system's.
 * @attr {string} token - Signs in with a token the host holds; removed as soon as it is read.
 * @fires {CustomEvent<{ username: string, portal: string }>} signedin - Signed in, by any method.
 * @fires {CustomEvent<{}>} signedout - Signed out.
 * @fires {CustomEvent<{ id: string, title: string, slot: 1 | 2 | null, expires: number | null, key?: string }>} keycreated - A credential was created.
 * @fires {CustomEvent<{ id: string, title: string, change: "generated" | "invalidated", slot: 1 | 2 | null, expires: number | null, key?: string }>} keyrotated - A key was generated or stopped.
 * @fires {CustomEvent<{ id: string, title: string }>} keydeleted - A credential was deleted.
 * @fires {CustomEvent<{ message: string }>} error - An error the manager showed, in its words.
 * @cssprop --arcgis-keys-font - The font family.
 * @cssprop --arcgis-keys-font-code - The monospace family, for ids and keys.
 * @cssprop --arcgis-keys-font-size-sm - Badges and pills (Calcite's 12 px).
 * @cssprop --arcgis-keys-font-size - Hints (Calcite's 14 px).
 * @cssprop --arcgis-keys-font-size-lg - Card titles (18 px).
 * @cssprop --arcgis-keys-font-size-xl - Section titles (20 px).
 * @cssprop --arcgis-keys-font-size-xxl - Page titles (24 px).
 * @cssprop --arcgis-keys-font-weight-bold - Titles and labels.
 * @cssprop --arcgis-keys-space-xxs - The smallest gap (Calcite's spacing scale, in em).
 * @cssprop --arcgis-keys-space-xs - Control padding.
 * @cssprop --arcgis-keys-space-sm - Gaps between controls.
 * @cssprop --arcgis-keys-space-md - Gaps between fields.
 * @cssprop --arcgis-keys-space-lg - Panel padding.
 * @cssprop --arcgis-keys-space-xl - Gaps between sections.
 * @cssprop --arcgis-keys-space-xxl - Wide panel padding.
 * @cssprop --arcgis-keys-space-xxxl - The largest gap.
 * @cssprop --arcgis-keys-radius - Corners of cards, dialogs and badges.
 * @cssprop --arcgis-keys-focus-width - The keyboard focus ring's width.
 * @cssprop --arcgis-keys-text - Text.
 * @cssprop --arcgis-keys-text-muted - Secondary text.
 * @cssprop --arcgis-keys-background - The background.
 * @cssprop --arcgis-keys-surface - Panels and inputs.
 * @cssprop --arcgis-keys-border - Borders.
 * @cssprop --arcgis-keys-border-input - Borders of inputs (at least 3:1 against the surface).
 * @cssprop --arcgis-keys-brand - Primary buttons, links and the focus ring.
 * @cssprop --arcgis-keys-brand-hover - Primary buttons under the pointer.
 * @cssprop --arcgis-keys-brand-text - Text on the brand colour.
 * @cssprop --arcgis-keys-warning - Warnings.
 * @cssprop --arcgis-keys-warning-surface - Behind warnings.
 * @cssprop --arcgis-keys-danger - Errors and irreversible actions.
 * @cssprop --arcgis-keys-danger-surface - Behind errors.
 * @cssprop --arcgis-keys-ok - A working key's state.
 * @cssprop --arcgis-keys-ok-surface - Behind a working key's state.
 */
export class ArcGISApiKeyManager extends HTMLElement {
  static observedAttributes = ["portal", "client-id", "token", "view", "expose-keys"];

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
  /** `"light"`, `"dark"`, or `null` for the system's (the style sheet reads the attribute). */
  get theme() {
    return this.getAttribute("theme");
  }
  set theme(value) {
    this.#reflect("theme", value);
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
    for (const name of ["portal", "clientId", "view", "theme", "exposeKeys", "token"]) {
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
    } else if (name === "expose-keys") {
      // Live, not a new session: a key on screen stays there.
      this.#mounted?.setExposeKeys(value !== null);
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
      onEvent: (name, detail) => announce(this, name, detail),
    });
  }
}

if (!customElements.get("arcgis-api-key-manager")) {
  customElements.define("arcgis-api-key-manager", ArcGISApiKeyManager);
}
