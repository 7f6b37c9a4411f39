// `arcgis-keys/widget`: the <arcgis-api-key-manager> custom element. Importing the
// module defines the element.

/** Fired once signed in (by any method, the host's token included). */
export interface SignedInDetail {
  username: string;
  /** The portal's sharing REST URL. */
  portal: string;
}

/** A key the manager issued. `key` is present only with `expose-keys`. */
export interface IssuedKeyDetail {
  /** 1 or 2; `null` when no key was issued. */
  slot: 1 | 2 | null;
  /** Epoch milliseconds; `null` when no key was issued. */
  expires: number | null;
  key?: string;
}

/** A credential was created; `slot` is `null` when it was created without a key. */
export interface KeyCreatedDetail extends IssuedKeyDetail {
  /** The credential's item id. */
  id: string;
  title: string;
}

/**
 * A slot changed: a key generated (or regenerated), or stopped: invalidated, or
 * stopped by the portal when the credential's privileges changed.
 */
export interface KeyRotatedDetail extends IssuedKeyDetail {
  id: string;
  title: string;
  change: "generated" | "invalidated";
}

export interface KeyDeletedDetail {
  id: string;
  title: string;
}

/** An error the manager showed, in the words it showed. */
export interface ErrorDetail {
  message: string;
}

/** The manager's own events (`error` here is the manager's, not a resource's `ErrorEvent`). */
export interface ArcGISApiKeyManagerEventMap {
  signedin: CustomEvent<SignedInDetail>;
  signedout: CustomEvent<Record<string, never>>;
  keycreated: CustomEvent<KeyCreatedDetail>;
  keyrotated: CustomEvent<KeyRotatedDetail>;
  keydeleted: CustomEvent<KeyDeletedDetail>;
  error: CustomEvent<ErrorDetail>;
}

export declare class ArcGISApiKeyManager extends HTMLElement {
  /** The portal the sign-in form offers (attribute `portal`). */
  portal: string | null;
  /** The OAuth app "Sign in with ArcGIS" uses (attribute `client-id`). */
  clientId: string | null;
  /** The screen once signed in (attribute `view`): "organization" is every member's keys, for an administrator. */
  view: "list" | "create" | "health" | "organization";
  /** Light or dark (attribute `theme`); `null` follows the system's `prefers-color-scheme`. */
  theme: "light" | "dark" | null;
  /**
   * Whether `keycreated` and `keyrotated` carry the issued key (attribute `expose-keys`);
   * a change applies to the next event.
   */
  exposeKeys: boolean;
  /** Write-only: signs in with a token the host holds for `portal`. Reads as `undefined`. */
  token: string | undefined;
  addEventListener<K extends keyof ArcGISApiKeyManagerEventMap>(
    type: K,
    listener: (this: ArcGISApiKeyManager, event: ArcGISApiKeyManagerEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ArcGISApiKeyManagerEventMap>(
    type: K,
    listener: (this: ArcGISApiKeyManager, event: ArcGISApiKeyManagerEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "arcgis-api-key-manager": ArcGISApiKeyManager;
  }
  /**
   * The events bubble out of the element (they are composed), so a listener on any
   * ancestor is typed too. `error` is left out: the DOM declares it as `ErrorEvent`.
   */
  interface GlobalEventHandlersEventMap {
    signedin: CustomEvent<SignedInDetail>;
    signedout: CustomEvent<Record<string, never>>;
    keycreated: CustomEvent<KeyCreatedDetail>;
    keyrotated: CustomEvent<KeyRotatedDetail>;
    keydeleted: CustomEvent<KeyDeletedDetail>;
  }
}
