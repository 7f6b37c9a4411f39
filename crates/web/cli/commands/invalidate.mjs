// `arcgis-keys invalidate`: stop one key at once.
import { PORTAL_FLAG, signIn, slotFlag, UsageError } from "../common.mjs";

export const help = `Usage: arcgis-keys invalidate <id> --slot 1|2 --yes

Stops slot 1's or 2's key at once. Without --yes nothing is done.`;

export const options = { ...PORTAL_FLAG, slot: { type: "string" }, yes: { type: "boolean" } };
export const positionals = 1;

export async function run({ values, positionals: [id] }, io) {
  if (!id) throw new UsageError("invalidate needs a credential id: arcgis-keys invalidate <id> --slot 1|2 --yes");
  const slot = slotFlag(values.slot, "slot");
  if (!values.yes) throw new UsageError(`this stops key ${slot} at once, for every app using it: add --yes to go ahead`);
  const session = await signIn(values, io.env);
  const credential = await session.invalidateKey(id, slot);
  io.stderr.write(`Invalidated key ${slot} of "${credential.title}".\n`);
  return 0;
}
