// Large arrays across the JS boundary in one crossing each way: src/js_value.rs reads a
// usage series' pairs with `numberPairs`, and src/session.rs hands its points back
// through `usagePoints`. Value by value, a million points took a second.

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * `[[a, b], …]` with each value a number or its plain decimal text, flattened into
 * one Float64Array; `undefined` when anything has another shape, so that the caller
 * reads it value by value and reports what does not fit.
 */
export function numberPairs(value) {
  if (!Array.isArray(value)) return undefined;
  const flat = new Float64Array(value.length * 2);
  for (let i = 0; i < value.length; i++) {
    const pair = value[i];
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    for (let j = 0; j < 2; j++) {
      const v = pair[j];
      if (typeof v === "number") flat[2 * i + j] = v;
      else if (typeof v === "string" && DECIMAL.test(v)) flat[2 * i + j] = Number(v);
      else return undefined;
    }
  }
  return flat;
}

/** `UsagePoint` objects from three columns of equal length. */
export function usagePoints(at, count, credits) {
  const points = new Array(at.length);
  for (let i = 0; i < at.length; i++) points[i] = { at: at[i], count: count[i], credits: credits[i] };
  return points;
}
