// The standalone manager's entry: load the widget's wasm and mount it.
//
// The sign-in form offers, first: `?portal=` from the address, else this site's own
// origin when it answers as a portal (the local emulator serves the site, and so may a
// portal that hosts it), else ArcGIS Online.
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
const portal = new URLSearchParams(location.search).get("portal") ?? (ownPortal ? location.origin : undefined);
mount(document.getElementById("manager"), portal);
