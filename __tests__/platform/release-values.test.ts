/**
 * Helm release values are plain YAML a reviewer reads in `cdktf diff`: over every stack of every
 * shipped environment, no release's values carry YAML anchors or aliases (`&a1` / `*a1`), which
 * the YAML writer makes of an object used twice and which hide what a manifest really holds.
 */
import * as fs from "node:fs";
import { parseDocument } from "yaml";
import { runApp } from "../support/app-output";

const output = runApp();
const releases = [...output.stacks.values()].flatMap((s) => {
  const json = JSON.parse(fs.readFileSync(s.file, "utf8"));
  return Object.entries<any>(json.resource?.helm_release ?? {}).map(([key, r]) => [s.id, key, r] as const);
});

test("the matrix installs releases", () => {
  expect(releases.length).toBeGreaterThan(20);
});

test.each(releases)("%s: %s has no YAML anchors or aliases in its values", (_stack, _key, release) => {
  for (const values of release.values ?? []) {
    let anchors = 0;
    const visit = (node: any): void => {
      if (!node || typeof node !== "object") return;
      if (node.anchor || node.source !== undefined && node.constructor?.name === "Alias") anchors++;
      for (const child of node.items ?? []) visit(child);
      if ("key" in node) visit(node.key);
      if ("value" in node) visit(node.value);
    };
    visit(parseDocument(values).contents);
    expect(anchors).toBe(0);
  }
});
