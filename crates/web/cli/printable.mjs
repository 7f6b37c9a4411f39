// Text from the portal (titles) on its way to a terminal or a calendar: control
// characters become spaces, so a title cannot move the cursor, forge an output line or
// break a file format.

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** `text` with every control character replaced by a space. */
export const printable = (text) => text.replace(CONTROL, " ");
