// The element's contract has one source, the JSDoc on its class in
// crates/widget/js/element.js, from which the build writes the Custom Elements Manifest.
// The hand-written declarations (element.d.ts), the accessors the class defines and the
// README's attribute table are checked against it, so `view` and every other property
// stay in step.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}dist/widget/custom-elements.json`, "utf8"));
const element = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === "arcgis-api-key-manager");
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
/** The members of a type's union, without the absent values a property may read as. */
const members = (type) =>
  type
    .split("|")
    .map((t) => t.trim())
    .filter((t) => t !== "null" && t !== "undefined")
    .sort();

test("every attribute the JSDoc documents is a property of the declarations, with the same type", () => {
  const declarations = readFileSync(`${root}crates/widget/js/element.d.ts`, "utf8");
  const body = declarations.slice(declarations.indexOf("export declare class ArcGISApiKeyManager"));
  const declared = Object.fromEntries([...body.matchAll(/^ {2}(\w+): ([^;]+);$/gm)].map((m) => [m[1], m[2]]));
  assert.ok(element.attributes.length >= 6, "the manifest lists the attributes");
  for (const attribute of element.attributes) {
    const property = camel(attribute.name);
    assert.ok(property in declared, `element.d.ts declares ${property} (attribute ${attribute.name})`);
    assert.deepEqual(members(declared[property]), members(attribute.type.text), `${property}'s type`);
  }
});

test("every attribute has an accessor on the class, and is in the README's table", () => {
  const source = readFileSync(`${root}crates/widget/js/element.js`, "utf8");
  const readme = readFileSync(`${root}README.md`, "utf8");
  for (const attribute of element.attributes) {
    const property = camel(attribute.name);
    assert.match(source, new RegExp(`^ {2}get ${property}\\(\\)`, "m"), `element.js has get ${property}()`);
    assert.match(source, new RegExp(`^ {2}set ${property}\\(`, "m"), `element.js has set ${property}()`);
    assert.match(readme, new RegExp(`^\\| \`${attribute.name}\` \\(\`${property}\``, "m"), `README's row for ${attribute.name}`);
  }
  const view = element.attributes.find((a) => a.name === "view");
  for (const screen of members(view.type.text)) {
    assert.match(readme, new RegExp(`\\| \`view\`[^\\n]*\`${JSON.parse(screen)}\``), `README names the view ${screen}`);
  }
});
