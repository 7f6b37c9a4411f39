// The host page's script: configure the element, load it, and log what it reports.
// `?bare` leaves the widget out, to compare the page's own styles without it.
const manager = /** @type {import("arcgis-keys/widget").ArcGISApiKeyManager} */ (document.querySelector("arcgis-api-key-manager"));
const log = /** @type {HTMLOListElement} */ (document.getElementById("events"));

// Served by the local emulator, the portal is this origin and its registered app.
if (["127.0.0.1", "localhost"].includes(location.hostname)) {
  manager.portal = location.origin;
  manager.clientId = "arcgis-keys-manager";
}

for (const name of ["signedin", "signedout", "keycreated", "keyrotated", "keydeleted", "error"]) {
  manager.addEventListener(name, (event) => {
    const entry = document.createElement("li");
    entry.dataset.event = name;
    entry.textContent = `${name} ${JSON.stringify(/** @type {CustomEvent} */ (event).detail)}`;
    log.append(entry);
  });
}

if (!new URLSearchParams(location.search).has("bare")) {
  await import("arcgis-keys/widget");
}

export {};
