// The Vite example: a typed sign-in and listing. `npm install arcgis-keys` and Vite
// bundles the WebAssembly as an asset; nothing else to configure.
import * as arcgisKeys from "arcgis-keys";
import { ArcGISKeysError, type KeySummary, type Session, signIn } from "arcgis-keys";

// Served by the local emulator, the portal is this origin; elsewhere, ArcGIS Online.
const portal = ["127.0.0.1", "localhost"].includes(location.hostname) ? `${location.origin}/sharing/rest` : undefined;

const form = document.querySelector<HTMLFormElement>("#sign-in")!;
const list = document.querySelector<HTMLUListElement>("#credentials")!;
const status = document.querySelector<HTMLParagraphElement>("#status")!;
const value = (id: string) => document.querySelector<HTMLInputElement>(id)!.value;

function describe(key: KeySummary): string {
  const live = key.slots.filter((slot) => slot.expires !== null && slot.expires > Date.now());
  return `${key.title}: ${live.length === 0 ? "no key" : live.map((slot) => `key ${slot.slot}`).join(", ")}`;
}

async function showKeys(session: Session): Promise<void> {
  const keys = await session.listCredentials({ sortBy: "modified", descending: true });
  list.replaceChildren(...keys.map((key) => Object.assign(document.createElement("li"), { textContent: describe(key) })));
  status.textContent = `${session.username}: ${keys.length} credentials.`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await showKeys(await signIn({ portal, username: value("#username"), password: value("#password") }));
  } catch (error) {
    // Every rejection is an ArcGISKeysError subclass with a message that says what to do.
    status.textContent = error instanceof ArcGISKeysError ? error.message : String(error);
  }
});

// For trying the API from the browser console.
Object.assign(globalThis, { arcgisKeys });
