// The standalone manager's entry: the <arcgis-api-key-manager> element on a page.
//
// The sign-in form offers, first: `?portal=` from the address, else this site's own
// origin when it answers as a portal (the local emulator serves the site, and so may a
// portal that hosts it), else ArcGIS Online. "Sign in with ArcGIS" uses `?client_id=`,
// else, on the emulator, its registered app for this manager.
import "./widget/index.js";

async function servedByPortal() {
  try {
    const response = await fetch(new URL("sharing/rest/portals/self?f=json", location.href));
    const answer = response.ok ? await response.json() : null;
    return typeof answer?.id === "string";
  } catch {
    return false;
  }
}

const ownPortal = await servedByPortal();
const params = new URLSearchParams(location.search);
const manager = document.createElement("arcgis-api-key-manager");
const portal = params.get("portal") ?? (ownPortal ? location.origin : null);
const clientId = params.get("client_id") ?? (ownPortal ? "arcgis-keys-manager" : null);
if (portal) manager.portal = portal;
if (clientId) manager.clientId = clientId;
document.getElementById("manager").replaceChildren(manager);
