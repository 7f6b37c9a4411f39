// `arcgis-keys calendar`: an iCalendar file (RFC 5545) with one all-day event on the day
// each live key expires and alarms 30 and 7 days before. No secret goes in: ids, titles,
// slots and dates only.

import { printable } from "./printable.mjs";

const stamp = (ms) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const day = (ms) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");

/** TEXT values escape `\`, `;`, `,` and line breaks. */
const text = (value) => value.replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\r?\n|\r/g, "\\n");

/** Lines longer than 75 octets are folded: CRLF and a space, never inside a character. */
function fold(line) {
  const out = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (out.length ? 74 : 75)) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** The calendar of `credentials` (as `getCredential` answers), made at `now`. */
export function calendar(credentials, now) {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//arcgis-keys//key expiry//EN", "CALSCALE:GREGORIAN"];
  for (const credential of credentials) {
    for (const slot of credential.slots.filter((s) => s.active && s.expires != null)) {
      const title = printable(credential.title);
      const summary = `API key expires: ${title} (key ${slot.slot})`;
      const next = new Date(slot.expires + 86_400_000).getTime();
      lines.push(
        "BEGIN:VEVENT",
        `UID:${credential.id}-${slot.slot}-${slot.expires}@arcgis-keys`,
        `DTSTAMP:${stamp(now)}`,
        `DTSTART;VALUE=DATE:${day(slot.expires)}`,
        `DTEND;VALUE=DATE:${day(next)}`,
        `SUMMARY:${text(summary)}`,
        `DESCRIPTION:${text(`Key ${slot.slot} of credential ${credential.id} stops working on ${new Date(slot.expires).toISOString()}. Rotate it: arcgis-keys rotate ${credential.id} --phase generate`)}`,
      );
      for (const before of ["P30D", "P7D"]) {
        lines.push("BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${text(summary)}`, `TRIGGER:-${before}`, "END:VALARM");
      }
      lines.push("END:VEVENT");
    }
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(fold).join("\r\n")}\r\n`;
}
