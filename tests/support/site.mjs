// Building the example pages into a temporary site the emulator serves.
import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Copies the built package where `npm install arcgis-keys` puts it, under `dir`. */
export function installPackage(dir) {
  cpSync(join(root, "dist"), join(dir, "node_modules/arcgis-keys/dist"), { recursive: true });
}

/** The production build of the Vite project at `project` (relative to the repo) into `outDir`. */
export function viteBuild(project, outDir) {
  execFileSync(join(root, "node_modules/.bin/vite"), ["build", project, "--base", "./", "--outDir", outDir, "--logLevel", "error"], {
    cwd: root,
    stdio: "inherit",
  });
}
