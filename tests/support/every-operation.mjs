// One walk through every operation of the arcgis-keys API, with checks, run the same
// way in Node, in the plain HTML example, in the Vite example and from an installed
// package. It is one self-contained function (no imports, no outer names) so that
// browser tests can send its source to the page.

/**
 * Runs every operation against an emulator. Throws on the first check that fails,
 * naming the operation; resolves with the names of the operations that ran.
 *
 * @param {typeof import("arcgis-keys")} keys the package's exports
 * @param {{ rest: string, base: string, username: string, password: string }} env
 */
export async function everyOperation(keys, env) {
  const ran = [];
  let current = "";
  const step = (name) => {
    current = name;
    ran.push(name);
  };
  const check = (condition, what) => {
    if (!condition) throw new Error(`${current}: ${what}`);
  };
  const day = 24 * 60 * 60 * 1000;
  const geocode = "premium:user:geocode:temporary";
  try {
    step("privileges");
    const catalog = keys.privileges();
    check(
      catalog.some((p) => p.id === geocode && p.testable && !p.personal),
      "the catalog lists geocoding",
    );

    step("signIn");
    const session = await keys.signIn({ portal: env.rest, username: env.username, password: env.password });
    check(session.username === env.username, `username is ${session.username}`);
    check(session.expires > Date.now(), "the token expires in the future");

    step("setRequestTimeout");
    session.setRequestTimeout(20_000);

    step("user");
    const user = await session.user();
    check(user.username === env.username && typeof user.fullName === "string", "the user reads back");

    step("browse");
    const content = await session.browse();
    check(content.items.length > 0 && Array.isArray(content.folders), "the root has items and folders");
    const item = content.items[0];

    step("createCredential");
    const expires = Date.now() + 20 * day;
    const created = await session.createCredential({
      title: "Every operation",
      tags: ["sweep"],
      newFolder: `Sweep ${Date.now()}`,
      privileges: [geocode],
      referrers: [],
      itemAccess: [item.id],
      keys: [{ slot: 1, expires }],
    });
    const id = created.credential.id;
    check(created.keys.length === 1 && created.keys[0].slot === 1, "one key, in slot 1");
    check(created.keys[0].key.length > 20, "the key is there");
    check(created.keys[0].expires === Math.floor(expires / day) * day + day - 1, "the key lasts to the end of the day asked");
    check(created.warnings.length === 0, "no warnings");
    check(created.credential.itemAccess.includes(item.id), "item access recorded");
    check(created.credential.folder !== null, "created in the new folder");

    step("testKey");
    const accepted = await session.testKey({ key: created.keys[0].key, privilege: geocode, serviceBase: env.base });
    check(accepted.accepted === true && accepted.code === null, "the location service accepts the key");
    const refused = await session.testKey({
      key: created.keys[0].key,
      privilege: "premium:user:elevation",
      serviceBase: env.base,
    });
    check(refused.accepted === false && refused.code === 403, `a missing privilege is refused (${refused.code})`);

    step("usage");
    const usage = await session.usage(id, { start: Date.now() - day, end: Date.now() + day, period: "day" });
    const uses = usage.flatMap((s) => s.points).reduce((sum, p) => sum + p.count, 0);
    check(uses >= 1, `the accepted call was counted (${uses})`);

    step("listCredentials");
    const listed = await session.listCredentials({ sortBy: "title" });
    check(
      listed.some((k) => k.id === id && k.kind === "credential"),
      "the new credential is listed",
    );
    const titles = listed.map((k) => k.title);
    check(titles.join("\n") === [...titles].sort((a, b) => a.localeCompare(b)).join("\n"), "sorted by title");

    // A member is refused the organization's keys, before anything is searched, with the
    // reason: the portal would answer with their own keys alone, as if they were all.
    const refusedToMember = async (what, call) => {
      try {
        await call();
      } catch (error) {
        check(
          error instanceof keys.InputError && error.field === "organization" && /administrator/.test(error.message),
          `${what} refused a member: ${error}`,
        );
        return;
      }
      check(false, `${what} answered a member`);
    };
    step("listOrgCredentials");
    await refusedToMember("listOrgCredentials", () => session.listOrgCredentials({ owner: env.username }));

    step("keysByExpiration");
    await refusedToMember("keysByExpiration", () => session.keysByExpiration());

    step("getCredential");
    const read = await session.getCredential(id);
    check(read.slots[0].active && !read.slots[1].active, "slot 1 active, slot 2 empty");
    check(!JSON.stringify(read).includes(created.keys[0].key), "no key in the credential");

    step("getCredentials");
    const many = await session.getCredentials([id, id]);
    check(many.length === 2 && many.every((c) => c.id === id && c.slots[0].active), "each read, in order");

    step("checkPolicy");
    // The new key lives longer than a day: a one-day policy's finding, in the core's words.
    const findings = await session.checkPolicy({ ids: [id], maxLifetimeDays: 1 });
    check(
      findings.some(
        (f) => f.id === id && f.rule === "max-lifetime" && f.slot === 1 && f.severity === "error" && /^key 1 lives until /.test(f.message),
      ),
      `the one-day policy's finding: ${JSON.stringify(findings)}`,
    );
    check(
      (await session.checkPolicy({ ids: [id] })).every((f) => f.rule !== "max-lifetime"),
      "no lifetime rule unless asked",
    );

    step("generateKey");
    const second = await session.generateKey(id, { slot: 2, expires: Date.now() + 60 * day });
    check(second.slot === 2 && second.key !== created.keys[0].key, "a second, different key");

    step("invalidateKey");
    const rotated = await session.invalidateKey(id, 1);
    check(!rotated.slots[0].active && rotated.slots[1].active, "slot 1 off, slot 2 on");
    /** @type {any} */
    let wrongSlot = null;
    await session.invalidateKey(id, /** @type {any} */ (257)).catch((error) => {
      wrongSlot = error;
    });
    check(wrongSlot instanceof keys.InputError && wrongSlot.field === "slot", "257 is no slot");

    step("setExpiration");
    const next = Date.now() + 5 * day;
    const dated = await session.setExpiration(id, { slot: 1, expires: next });
    // A date means the end of its day, UTC, as the portal keeps it.
    check(
      dated.slots[0].expires === Math.floor(next / day) * day + day - 1 && !dated.slots[0].active,
      "the empty slot's next key gets the date",
    );
    /** @type {any} */
    let live = null;
    await session.setExpiration(id, { slot: 2, expires: next }).catch((error) => {
      live = error;
    });
    check(live instanceof keys.InputError && live.field === "slot", "a live key keeps its expiration");

    step("rotate");
    const started = await session.rotate(id, { by: "every operation" });
    check(started.step === "generate" && started.slot === 1 && started.retire === 2, "a rotation fills the empty slot");
    check(typeof started.key === "string" && started.expires === started.credential.slots[0].expires, "the portal's expiry");
    check(started.credential.rotation?.inProgress?.delivered === false, "recorded, not yet delivered");

    step("confirmDelivery");
    const confirmed = await session.confirmDelivery(id);
    check(confirmed.rotation?.step === "deploy" && confirmed.rotation.inProgress?.by === "every operation", "delivered");
    const rerun = await session.rotate(id, {});
    check(rerun.step === "deploy" && rerun.key === null, "a delivered rotation is not made again");

    step("retire");
    const finished = await session.retire(id);
    check(finished.kept === 1 && finished.retired === 2, "the old key is retired");
    check(finished.credential.slots[0].active && !finished.credential.slots[1].active, "key 1 live, key 2 stopped");
    check(finished.credential.rotation?.inProgress === null, "the record is closed");

    step("updateCredential");
    const renamed = await session.updateCredential(id, { title: "Every operation, renamed", referrers: ["https://app.example.com"] });
    check(renamed.credential.title === "Every operation, renamed", "renamed");
    check(renamed.credential.referrers.join() === "https://app.example.com", "referrer set");
    check(renamed.credential.privileges.join() === geocode, "the privileges are kept");
    check(renamed.credential.slots[0].active && renamed.keysStopped.length === 0, "referrers leave the keys working");
    const narrowed = await session.updateCredential(id, {
      privileges: [geocode, "premium:user:basemaps"],
      acknowledgeKeysStopWorking: true,
    });
    check(!narrowed.credential.slots[0].active && !narrowed.credential.slots[1].active, "new privileges stop the keys");
    check(narrowed.keysStopped.join() === "1", "the answer says key 1 stopped");
    check(narrowed.credential.referrers.join() === "https://app.example.com", "the referrers are kept");

    step("deleteCredential");
    await session.deleteCredential(id);
    const after = await session.listCredentials();
    check(!after.some((k) => k.id === id), "gone from the list");

    step("listLegacyKeys");
    const legacyKeys = await session.listLegacyKeys();
    check(legacyKeys.length > 0 && legacyKeys.every((k) => k.kind === "legacy"), "the retired legacy keys are listed");
    /** @type {any} */
    let retired = null;
    await session.updateCredential(legacyKeys[0].id, { title: "Renamed" }).catch((error) => {
      retired = error;
    });
    check(retired instanceof keys.InputError && /retired/.test(retired.message), "a retired key cannot be changed");

    step("fromToken");
    const again = await keys.fromToken({ portal: env.rest, token: await tokenFor(env) });
    check(again.username === env.username, "the token's user");

    step("signOut");
    await session.signOut();
    check(session.expires === 0, "no session after signing out");
    /** @type {any} */
    let refused2 = null;
    try {
      await session.listCredentials();
    } catch (error) {
      refused2 = error;
    }
    check(refused2 instanceof keys.SignInRequiredError, "calls after signing out ask to sign in again");
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${current}:`)) throw error;
    throw new Error(`${current}: ${error?.name}: ${error?.message}`);
  }
  return ran;

  /** A token from generateToken, as another app would hold it. */
  async function tokenFor({ rest, username, password }) {
    const body = new URLSearchParams({ username, password, client: "referer", referer: "http://localhost", f: "json" });
    const response = await fetch(`${rest}/generateToken`, { method: "POST", body });
    return (await response.json()).token;
  }
}

/** The operations `everyOperation` must report, in order. */
export const OPERATIONS = [
  "privileges",
  "signIn",
  "setRequestTimeout",
  "user",
  "browse",
  "createCredential",
  "testKey",
  "usage",
  "listCredentials",
  "listOrgCredentials",
  "keysByExpiration",
  "getCredential",
  "getCredentials",
  "checkPolicy",
  "generateKey",
  "invalidateKey",
  "setExpiration",
  "rotate",
  "confirmDelivery",
  "retire",
  "updateCredential",
  "deleteCredential",
  "listLegacyKeys",
  "fromToken",
  "signOut",
];
