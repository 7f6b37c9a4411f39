// Answers the emulator never gives, from a scripted loopback portal: usage series in
// every shape the service has sent (read alike on the fast path and value by value),
// and answers too large to read, plain or as a gzip bomb.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";

import * as keys from "arcgis-keys";
import { rejection } from "../support/rejection.mjs";
import { ITEM, SIGNED_IN, startScriptedPortal } from "../support/scripted-portal.mjs";

const USAGE = "/sharing/rest/portals/org1/usage";
const MiB = 1 << 20;

/** `session.usage` of `ITEM` against a portal whose usage answer is `answer`. */
async function withPortal(answer, run) {
  const portal = await startScriptedPortal({ ...SIGNED_IN, [USAGE]: answer });
  try {
    const session = await keys.fromToken({ portal: portal.rest, token: "t" });
    return await run(session);
  } finally {
    await portal.stop();
  }
}

const usageOf = (data) => withPortal(JSON.stringify({ data }), (s) => s.usage(ITEM, { start: 0, end: 1 }));

test("usage points read alike as numbers, as text, and in shapes only the value-by-value reader takes", async () => {
  const expected = [
    {
      service: "geocode",
      operation: "geocodecnt",
      points: [
        { at: 1000, count: 3, credits: 0 },
        { at: 2000, count: 4, credits: 0.5 },
      ],
    },
  ];
  const series = (num, credits) => [{ appId: "app", stype: "geocode", etype: "geocodecnt", num, credits }];
  const numbers = await usageOf(
    series(
      [
        [1000, 3],
        [2000, 4],
      ],
      [[2000, 0.5]],
    ),
  );
  assert.deepEqual(numbers, expected);
  const text = await usageOf(
    series(
      [
        ["1000", "3"],
        ["2000", "4"],
      ],
      [["2000", "0.5"]],
    ),
  );
  assert.deepEqual(text, expected);
  // Padded text is no plain decimal: the fast path declines it and the Rust reader trims it.
  const padded = await usageOf(
    series(
      [
        [" 1000", "3 "],
        ["2000", 4],
      ],
      [[2000, "5e-1"]],
    ),
  );
  assert.deepEqual(padded, expected);
});

test("a usage value that is no number is a malformed answer, not a zero", async () => {
  for (const num of [[["1000", "abc"]], [["0x10", "1"]], [[1000]], [[1000, 1, 2]], [[1000, true]], [1000]]) {
    const error = await rejection(usageOf([{ appId: "app", stype: "geocode", etype: "g", num }]));
    assert.equal(error.constructor, keys.ArcGISKeysError, `${JSON.stringify(num)}: ${error}`);
    assert.equal(error.kind, "malformed", JSON.stringify(num));
  }
});

test("an answer over 64 MiB is refused with a clear error, whether streamed, declared or a gzip bomb", async () => {
  const chunk = Buffer.alloc(MiB, " ");
  let sent = 0;
  const streamed = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const more = () => {
      // Stops once the client has gone; a client that read everything would get 80 MiB.
      while (sent < 80 && !response.destroyed) {
        sent++;
        if (!response.write(chunk)) return response.once("drain", more);
      }
      response.end();
    };
    response.on("close", () => response.destroy());
    more();
  };
  const huge = await rejection(withPortal(streamed, (s) => s.usage(ITEM, { start: 0, end: 1 })));
  assert.ok(huge instanceof keys.NetworkError, String(huge));
  assert.match(huge.message, /larger than 64 MiB/);
  assert.ok(sent < 80, `the client stopped reading (${sent} MiB sent)`);

  const declared = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-length": String(65 * MiB) });
    response.write("{");
  };
  const refused = await rejection(withPortal(declared, (s) => s.usage(ITEM, { start: 0, end: 1 })));
  assert.match(refused.message, /larger than 64 MiB/);

  // 100 MiB of spaces compress to about 100 KB.
  const bomb = gzipSync(Buffer.alloc(100 * MiB, " "));
  assert.ok(bomb.length < MiB);
  const gzipped = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) });
    response.end(bomb);
  };
  const inflated = await rejection(withPortal(gzipped, (s) => s.usage(ITEM, { start: 0, end: 1 })));
  assert.ok(inflated instanceof keys.NetworkError, String(inflated));
  assert.match(inflated.message, /larger than 64 MiB/);
});

test("a gzip answer under the bound reads as usual", async () => {
  const body = gzipSync(JSON.stringify({ data: [{ appId: "app", stype: "geocode", etype: "g", num: [[1000, 2]] }] }));
  const gzipped = (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    response.end(body);
  };
  const series = await withPortal(gzipped, (s) => s.usage(ITEM, { start: 0, end: 1 }));
  assert.deepEqual(series[0].points, [{ at: 1000, count: 2, credits: 0 }]);
});
