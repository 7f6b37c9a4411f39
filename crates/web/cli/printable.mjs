// Text from the portal (titles, its error messages) on its way to a terminal or a
// calendar: control characters become spaces, and invisible formatting characters (the
// bidirectional overrides and isolates such as U+202E, zero-width joiners, the byte order
// mark) are removed, so a title can neither move the cursor, forge an output line or
// break a file format, nor read differently from how it is stored.

const CONTROL = /\p{Cc}/gu;
const FORMAT = /\p{Cf}/gu;

/** `text` with every control character replaced by a space and every formatting character removed. */
export const printable = (text) => String(text).replace(CONTROL, " ").replace(FORMAT, "");
