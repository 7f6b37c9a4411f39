// The standalone manager's entry: load the widget's wasm and mount it.
//
// The sign-in form offers, first: `?portal=` from the address, else this site's own
// origin when it answers as a portal (the local emulator serves the site, and so may a
// portal that hosts it), else ArcGIS Online. "Sign in with ArcGIS" uses `?client_id=`,
// else, on the emulator, its registered app for this manager.
import init, { mount } from "./pkg/arcgis_keys_widget.js";

async function servedByPortal() {
  try {
    const response = await fetch(new URL("sharing/rest/portals/self?f=json", location.href));
    const answer = response.ok ? await response.json() : null;
    return typeof answer?.id === "string";
  } catch {
    return false;
  }
}

const [, ownPortal] = await Promise.all([init(), servedByPortal()]);
const params = new URLSearchParams(location.search);
const portal = params.get("portal") ?? (ownPortal ? location.origin : undefined);
const clientId = params.get("client_id") ?? (ownPortal ? "arcgis-keys-manager" : undefined);
mount(document.getElementById("manager"), portal, clientId);
