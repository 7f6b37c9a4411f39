// The package's entry for browsers, workers and bundlers: loads the WebAssembly once
// (top-level await), then exports the API. Node's entry needs no such step: its glue
// loads the module synchronously.
import init from "./arcgis_keys_web.js";

await init();

export * from "./arcgis_keys_web.js";
