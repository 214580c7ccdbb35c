#!/usr/bin/env node
// The cdktf app command (cdktf.json): bundles main.ts and everything it imports from this
// repository into one CommonJS file with esbuild (packages stay external, no type-checking: that
// is `npm run typecheck`), then runs it. One bundle skips tsx's per-file transform and module
// resolution: 31 stacks synthesize in ~3.0 s instead of ~3.8 s (scripts/bench.mjs).
import { buildSync } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// One bundle per process: synths running side by side (the tests run the app in parallel workers)
// must not read each other's half-written bundle.
const outfile = join(root, ".build", `main.${process.pid}.cjs`);
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
try {
  createRequire(import.meta.url)(outfile);
} finally {
  rmSync(outfile, { force: true });
}

// `cdktf synth --hcl` (SYNTH_HCL_OUTPUT=true): the stacks render their HCL from the JSON
// (modules/hcl.ts); lay it out as `terraform fmt` would, the same formatting the snapshots apply.
if (process.env.SYNTH_HCL_OUTPUT === "true") {
  // Loaded only here: the JSON synth (the usual one, and the bench) does not pay for the formatter.
  const { format } = await import("@cdktf/hcl-tools");
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  for (const stack of Object.values(manifest.stacks)) {
    const file = join(outdir, stack.synthesizedStackPath);
    writeFileSync(file, await format(readFileSync(file, "utf8")));
  }
}
