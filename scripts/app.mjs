#!/usr/bin/env node
// The cdktf app command (cdktf.json): bundles main.ts and everything it imports from this
// repository into one CommonJS file with esbuild (packages stay external, no type-checking: that
// is `npm run typecheck`), then runs it. One bundle skips tsx's per-file transform and module
// resolution: 31 stacks synthesize in ~3.0 s instead of ~3.8 s (scripts/bench.mjs).
import { buildSync } from "esbuild";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, ".build", "main.cjs");
buildSync({
  entryPoints: [join(root, "main.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  keepNames: true,
  outfile,
  logLevel: "warning",
});
createRequire(import.meta.url)(outfile);
