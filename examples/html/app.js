// @ts-check
// The plain HTML example: sign in, list credentials, create one with a key, rotate.
// Every call is the arcgis-keys API; the page only wires forms to it.
import * as arcgisKeys from "arcgis-keys";

const DAY_MS = 24 * 60 * 60 * 1000;

/** @type {import("arcgis-keys").Session | null} */
let session = null;

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const field = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

// Served by the local emulator, the portal is this origin; elsewhere, ArcGIS Online.
field("portal").value =
  location.hostname === "127.0.0.1" || location.hostname === "localhost"
    ? `${location.origin}/sharing/rest`
    : "https://www.arcgis.com/sharing/rest";

const select = /** @type {HTMLSelectElement} */ ($("privilege"));
for (const privilege of arcgisKeys.privileges().filter((p) => !p.personal)) {
  select.add(new Option(`${privilege.category}: ${privilege.label}`, privilege.id));
}

/** Shows what happened; errors as alerts, with the portal's message. */
function report(/** @type {string} */ message, isError = false) {
  const status = $("status");
  status.setAttribute("role", isError ? "alert" : "status");
  status.textContent = message;
}

/** Runs an action, reporting its error instead of losing it. */
async function run(/** @type {() => Promise<void>} */ action) {
  try {
    await action();
  } catch (error) {
    report(error instanceof Error ? error.message : String(error), true);
  }
}

/** @param {import("arcgis-keys").Session} signedIn */
async function show(signedIn) {
  session = signedIn;
  $("who").textContent = session.username;
  $("sign-in").hidden = true;
  $("keys").hidden = false;
  await refresh();
}

async function refresh() {
  if (!session) return;
  const rows = /** @type {HTMLTableSectionElement} */ ($("rows"));
  rows.replaceChildren();
  for (const key of await session.listCredentials({ sortBy: "title" })) {
    const row = rows.insertRow();
    row.insertCell().textContent = key.title;
    for (const slot of key.slots) {
      row.insertCell().textContent = slot.expires === null ? "none" : `expires ${new Date(slot.expires).toLocaleDateString()}`;
    }
    const rotate = document.createElement("button");
    rotate.textContent = "Rotate";
    rotate.setAttribute("aria-label", `Rotate ${key.title}`);
    rotate.addEventListener("click", () => run(() => rotateKey(key.id, key.title)));
    row.insertCell().append(rotate);
  }
}

/** Generates a key in the free slot, then invalidates the live one. */
async function rotateKey(/** @type {string} */ id, /** @type {string} */ title) {
  if (!session) return;
  const credential = await session.getCredential(id);
  const live = credential.slots.find((slot) => slot.active) ?? credential.slots[0];
  const next = live.slot === 1 ? 2 : 1;
  await session.generateKey(id, { slot: next, expires: Date.now() + 90 * DAY_MS });
  if (live.active) await session.invalidateKey(id, live.slot);
  report(`Rotated "${title}": key ${next} is live, key ${live.slot} no longer works.`);
  await refresh();
}

$("sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    await show(
      await arcgisKeys.signIn({ portal: field("portal").value, username: field("username").value, password: field("password").value }),
    );
  });
});

$("oauth").addEventListener("click", () =>
  run(async () => {
    const signedIn = await arcgisKeys.beginOAuth({
      portal: field("portal").value,
      clientId: "arcgis-keys-manager",
      redirectUri: new URL("./callback.html", location.href).href,
    });
    if (signedIn) await show(signedIn);
  }),
);

$("create").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    if (!session) return;
    const created = await session.createCredential({
      title: field("title").value,
      privileges: [select.value],
      keys: [{ slot: 1, expires: Date.now() + 30 * DAY_MS }],
    });
    // Shown once, here; the portal cannot show it again.
    report(`Created "${created.credential.title}". Key 1: ${created.keys[0]?.key}`);
    field("title").value = "";
    await refresh();
  });
});

$("sign-out").addEventListener("click", () =>
  run(async () => {
    await session?.signOut();
    session = null;
    $("keys").hidden = true;
    $("sign-in").hidden = false;
    report("Signed out.");
  }),
);

// For trying the API from the browser console.
Object.assign(globalThis, { arcgisKeys });
