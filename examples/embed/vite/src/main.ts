// The key manager from a bundler: importing `arcgis-keys/widget` defines the element,
// and Vite bundles its WebAssembly as an asset.
import "arcgis-keys/widget";
import type { KeyCreatedDetail } from "arcgis-keys/widget";

const manager = document.createElement("arcgis-api-key-manager");
// Served by the local emulator, the portal is this origin; elsewhere, ArcGIS Online.
if (["127.0.0.1", "localhost"].includes(location.hostname)) {
  manager.portal = location.origin;
}
manager.view = "list";

const status = document.querySelector<HTMLParagraphElement>("#last-event")!;
manager.addEventListener("signedin", (event) => {
  status.textContent = `Signed in as ${event.detail.username}.`;
});
manager.addEventListener("keycreated", (event) => {
  const created: KeyCreatedDetail = event.detail;
  status.textContent = `Created ${created.title} (${created.id}), key ${created.slot ?? "none"}.`;
});
// The events bubble: a listener on the document is typed as well.
document.addEventListener("keydeleted", (event) => {
  status.textContent = `Deleted ${event.detail.title}.`;
});
document.querySelector("#manager-slot")!.replaceChildren(manager);
