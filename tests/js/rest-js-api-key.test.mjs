// Esri's 2026 automation demo, replayed against the emulator with ArcGIS REST JS
// 4.10.2: a script signed in with an administrator's API key
// (`ApiKeyManager.fromKey({ key, username })`) generates a credential's other slot with
// an expiration, then invalidates the old key, through the calls REST JS
// developer-credentials makes (`updateApiKey`, `invalidateApiKey`; contract section 12).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { getItem } from "@esri/arcgis-rest-portal";
import { ApiKeyManager, request } from "@esri/arcgis-rest-request";

import * as keys from "arcgis-keys";

import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

const DAY_MS = 86_400_000;
const basemaps = "premium:user:basemaps";

let emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => {
  await emulator?.stop();
});

const works = async (key) => (await keys.testKey({ key, privilege: basemaps, serviceBase: emulator.base })).accepted;

for (const [reading, behaviour] of [
  ["friendly", {}],
  ["strict", { apiKeySelf: "refused", apiKeyReads: "contentPrivilege", nonPersonalKey: "invalidToken" }],
]) {
  test(`the demo's rotation with ApiKeyManager.fromKey (${reading} reading)`, async () => {
    await emulator.control("/reset", { method: "POST" });
    await emulator.control("/behaviour", { method: "PUT", body: behaviour });
    const admin = await keys.signIn({ portal: emulator.rest, username: "jsmith", password: DEMO_PASSWORD });
    const inAMonth = Date.now() + 30 * DAY_MS;
    const automation = await admin.createCredential({
      title: "Automation",
      privileges: ["portal:user:createItem"],
      acknowledgePersonalPrivileges: true,
      keys: [{ slot: 1, expires: inAMonth }],
    });
    const service = await admin.createCredential({ title: "Service", privileges: [basemaps], keys: [{ slot: 1, expires: inAMonth }] });
    const [oldKey] = service.keys;
    const itemId = service.credential.id;

    const authentication = ApiKeyManager.fromKey({ key: automation.keys[0].key, username: "jsmith" });
    const rest = emulator.rest;
    const content = `${rest}/content/users/${authentication.username}/items/${itemId}`;

    // updateApiKey({ itemId, apiKey: 2, expiration }): the slot's date on the item, the
    // item read back, the app's info, then the key for that slot.
    const expiration = Date.now() + 60 * DAY_MS;
    const updated = await request(`${content}/update`, { params: { apiToken2ExpirationDate: expiration }, authentication });
    assert.equal(updated.success, true);
    const item = await getItem(itemId, { authentication, portal: rest });
    assert.ok(item.apiToken2ExpirationDate >= expiration, "the portal keeps the end of that day");
    const app = await request(`${content}/registeredAppInfo`, { authentication });
    const issued = await request(`${rest}/oauth2/token`, {
      params: {
        client_id: app.client_id,
        client_secret: app.client_secret,
        apiToken: 2,
        regenerateApiToken: false,
        grant_type: "client_credentials",
      },
    });
    const newKey = issued.access_token;
    assert.equal(keys.slotOfKey(newKey), 2);
    assert.ok(await works(newKey), "the new key works");
    assert.ok(await works(oldKey.key), "the old key works until it is invalidated");

    // invalidateApiKey({ itemId, apiKey: 1 }): the app's info, then revokeToken.
    const again = await request(`${content}/registeredAppInfo`, { authentication });
    const revoked = await request(`${rest}/oauth2/revokeToken`, {
      params: {
        client_id: again.client_id,
        client_secret: again.client_secret,
        apiToken: 1,
        regenerateApiToken: true,
        grant_type: "client_credentials",
      },
    });
    assert.equal(revoked.success, true);
    assert.equal(await works(oldKey.key), false, "the old key stopped");
    assert.ok(await works(newKey), "the new key still works");

    // Our package sees the same credential the same way from the same key.
    const session = await keys.fromApiKey({ portal: rest, key: automation.keys[0].key, username: "jsmith" });
    const credential = await session.getCredential(itemId);
    assert.deepEqual(
      credential.slots.map((s) => s.active),
      [false, true],
    );
  });
}
