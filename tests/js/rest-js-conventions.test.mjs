// The official JavaScript client (ArcGIS REST JS) works against the emulator unchanged:
// form-encoded POSTs with the token in the body, f=json, comma-joined lists and
// JSON-array fields.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createFolder, createItem, getItem, getUserContent, removeItem, searchItems, updateItem } from "@esri/arcgis-rest-portal";
import { ArcGISIdentityManager, ArcGISRequestError, request } from "@esri/arcgis-rest-request";
import { DEMO_PASSWORD, startEmulator } from "../support/emulator.mjs";

let emulator;
let authentication;

before(async () => {
  emulator = await startEmulator();
  authentication = await ArcGISIdentityManager.signIn({ username: "jsmith", password: DEMO_PASSWORD, portal: emulator.rest });
});

after(async () => {
  await emulator?.stop();
});

test("signIn goes through generateToken and community/self", async () => {
  assert.equal(authentication.username, "jsmith");
  const user = await authentication.getUser();
  assert.equal(user.role, "org_publisher");
});

test("items: create in a folder, read, update, list, search, remove", async () => {
  const { folder } = await createFolder({ title: "REST JS", authentication });
  const created = await createItem({
    item: {
      title: "Made by REST JS",
      type: "Application",
      tags: ["rest-js", "conventions"],
      typeKeywords: ["Registered App", "APIToken"],
      snippet: "s",
    },
    folderId: folder.id,
    authentication,
  });
  assert.equal(created.success, true);
  const item = await getItem(created.id, { authentication });
  assert.deepEqual(item.tags, ["rest-js", "conventions"]);
  assert.deepEqual(item.typeKeywords, ["Registered App", "APIToken"]);
  assert.equal(item.ownerFolder, folder.id);

  await updateItem({ item: { id: created.id, title: "Renamed by REST JS", tags: ["renamed"] }, folderId: folder.id, authentication });
  assert.equal((await getItem(created.id, { authentication })).title, "Renamed by REST JS");

  const content = await getUserContent({ owner: "jsmith", folderId: folder.id, authentication });
  assert.deepEqual(
    content.items.map((i) => i.id),
    [created.id],
  );

  const found = await searchItems({ q: 'owner:jsmith AND typekeywords:"APIToken" AND tags:renamed', authentication });
  assert.deepEqual(
    found.results.map((r) => r.id),
    [created.id],
  );

  assert.equal((await removeItem({ id: created.id, authentication })).success, true);
  await assert.rejects(
    getItem(created.id, { authentication }),
    (error) => error instanceof ArcGISRequestError && error.code === "CONT_0001",
  );
});

test("registerApp with array fields, then a key slot, through request()", async () => {
  const created = await createItem({
    item: { title: "Credential via REST JS", type: "Application", typeKeywords: ["APIToken"] },
    authentication,
  });
  const app = await request(`${emulator.rest}/oauth2/registerApp`, {
    params: {
      itemId: created.id,
      appType: "multiple",
      redirect_uris: ["urn:ietf:wg:oauth:2.0:oob"],
      httpReferrers: [],
      privileges: ["premium:user:geocode:temporary", "premium:user:basemaps"],
    },
    authentication,
  });
  assert.deepEqual(app.privileges, ["premium:user:geocode:temporary", "premium:user:basemaps"]);
  const expires = Date.now() + 7 * 24 * 3600 * 1000;
  await updateItem({ item: { id: created.id }, params: { apiToken1ExpirationDate: expires }, authentication });
  const key = await request(`${emulator.rest}/oauth2/token`, {
    params: {
      client_id: app.client_id,
      client_secret: app.client_secret,
      apiToken: 1,
      regenerateApiToken: true,
      grant_type: "client_credentials",
    },
    authentication,
  });
  assert.match(key.access_token, /^AAPT.*AT1_[A-Za-z0-9]{8}$/);

  const log = await emulator.control("/log");
  const registered = log.entries.find((e) => e.path.endsWith("/oauth2/registerApp"));
  assert.equal(registered.method, "POST");
  assert.equal(registered.body.token, "[redacted]", "the token travels in the body");
  assert.equal(registered.body.f, "json");
  assert.equal(registered.query.token, undefined, "never in the URL");
  assert.equal(registered.body.privileges, "premium:user:geocode:temporary,premium:user:basemaps", "REST JS comma-joins arrays");
});

test("errors arrive as ArcGISRequestError with the service's code", async () => {
  await assert.rejects(
    createItem({ item: { title: "", type: "" }, authentication }),
    (error) => error instanceof ArcGISRequestError && /'type' and 'title' property required/.test(error.message),
  );
  await assert.rejects(
    request(`${emulator.rest}/community/self`, { params: { token: "forged" } }),
    (error) => error instanceof ArcGISRequestError && error.code === 498,
  );
});
