import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  resolve: {
    // Inside this repository the package is ../../../dist; an app that installed
    // arcgis-keys from npm needs no alias.
    alias: { "arcgis-keys/widget": fileURLToPath(new URL("../../../dist/widget/index.js", import.meta.url)) },
  },
  build: { target: "es2022" },
});
