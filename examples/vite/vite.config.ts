import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  resolve: {
    // Inside this repository the package is ../../dist; an app that installed
    // arcgis-keys from npm needs no alias.
    alias: { "arcgis-keys": fileURLToPath(new URL("../../dist/web/index.js", import.meta.url)) },
  },
  // The package loads its WebAssembly with a top-level await.
  build: { target: "es2022" },
});
