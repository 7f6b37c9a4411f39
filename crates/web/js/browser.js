// The browser-only half of "Sign in with ArcGIS": the popup, the hand-back from the
// popup to its opener, and the pending sign-in kept across a full-page redirect.
// src/oauth.rs drives these; the PKCE itself is in the Rust core.

const PENDING = "arcgis-keys:oauth";
const MESSAGE = "arcgis-keys:oauth";

/** The page's origin, or `undefined` outside a page (Node, some workers). */
export function pageOrigin() {
  return globalThis.location?.origin;
}

/** `location.search` of this page, or "" outside a page. */
export function pageQuery() {
  return globalThis.location?.search ?? "";
}

/**
 * Opens the portal's sign-in page in a popup; resolves with the query the redirect page
 * hands back (`?code=…&state=…`). Rejects with `{ message, cancelled }` when there is no
 * window or the popup is blocked, or (`cancelled: true`) when the user closes it first.
 */
export function signInInPopup(url, redirectUri) {
  return new Promise((resolve, reject) => {
    if (typeof window === "undefined") {
      reject({ message: "signing in with a popup needs a browser window", cancelled: false });
      return;
    }
    const popup = window.open(url, "arcgis-keys-sign-in", "popup,width=520,height=680");
    if (!popup) {
      reject({
        message: "the browser blocked the sign-in window; allow pop-ups for this site, or sign in without a popup",
        cancelled: false,
      });
      return;
    }
    const origin = new URL(redirectUri, location.href).origin;
    let settled = false;
    const onMessage = (event) => {
      if (event.source !== popup || event.origin !== origin || event.data?.type !== MESSAGE) return;
      settled = true;
      stop();
      resolve(String(event.data.query));
    };
    // The popup posts its answer and then closes; give the message time to arrive
    // before treating a closed popup as a cancelled sign-in.
    const watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(watch);
      setTimeout(() => {
        if (settled) return;
        stop();
        reject({ message: "the sign-in window was closed before you signed in.", cancelled: true });
      }, 500);
    }, 250);
    function stop() {
      clearInterval(watch);
      window.removeEventListener("message", onMessage);
    }
    window.addEventListener("message", onMessage);
  });
}

/**
 * In the popup: hands the redirect's query to the page that opened it and closes.
 * Returns false when this page was not opened as a sign-in popup.
 */
export function handBackToOpener(query) {
  const opener = typeof window === "undefined" ? null : window.opener;
  if (!opener || opener === window) return false;
  opener.postMessage({ type: MESSAGE, query }, location.origin);
  window.close();
  return true;
}

/** Keeps a redirect sign-in's state and PKCE verifier for this tab only. */
export function storePending(json) {
  sessionStorage.setItem(PENDING, json);
}

/** Takes the pending sign-in back out (it is used once). */
export function takePending() {
  if (typeof sessionStorage === "undefined") return undefined;
  const json = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  return json ?? undefined;
}

/** Leaves this page for the portal's sign-in page. */
export function navigate(url) {
  location.assign(url);
}

/** Removes the code and state from the address bar and history. */
export function forgetQuery() {
  const url = new URL(location.href);
  url.search = "";
  history.replaceState(history.state, "", url);
}

const KEPT = "arcgis-keys:session";
const STAY = "arcgis-keys:stay-signed-in";

/** Whether the user asked to stay signed in in this tab. */
export function staySignedIn() {
  return typeof sessionStorage !== "undefined" && sessionStorage.getItem(STAY) === "yes";
}

/** Records the user's choice; saying no also forgets a kept session. */
export function chooseStaySignedIn(stay) {
  if (typeof sessionStorage === "undefined") return;
  if (stay) {
    sessionStorage.setItem(STAY, "yes");
  } else {
    sessionStorage.removeItem(STAY);
    sessionStorage.removeItem(KEPT);
  }
}

/** Keeps the session for this tab only (session storage, never local storage). */
export function keepSession(text) {
  sessionStorage.setItem(KEPT, text);
}

/** The kept session, if any. */
export function keptSession() {
  if (typeof sessionStorage === "undefined") return undefined;
  return sessionStorage.getItem(KEPT) ?? undefined;
}

/** Forgets the kept session (the choice stays). */
export function dropSession() {
  if (typeof sessionStorage !== "undefined") sessionStorage.removeItem(KEPT);
}
