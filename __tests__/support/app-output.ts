/**
 * What `cdktf synth` (and `cdktf synth --hcl`) leave in cdktf.out: the real app command from
 * cdktf.json (`node scripts/app.mjs`) run into a temporary directory, so tests read the files and
 * the manifest users and pipelines get, post-processing included.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

export interface SynthesizedStack {
  readonly id: string;
  /** Absolute path of `cdk.tf.json` (JSON synth) or `cdk.tf` (HCL synth). */
  readonly file: string;
  /** The stacks cdktf deploys before this one, as the manifest lists them. */
  readonly dependencies: readonly string[];
}

export interface AppOutput {
  readonly outdir: string;
  readonly stacks: ReadonlyMap<string, SynthesizedStack>;
}

export interface RunAppOptions {
  /** Synthesize HCL (`cdktf synth --hcl` sets SYNTH_HCL_OUTPUT=true). @default false */
  readonly hcl?: boolean;
  /** More environment variables for the app (e.g. ADDTOCLOUD_REVIEW). */
  readonly env?: Record<string, string>;
}

/** Runs the app as `cdktf synth` does and indexes what it wrote. */
export function runApp(options: RunAppOptions = {}): AppOutput {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), options.hcl ? "app-hcl-" : "app-json-"));
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "app.mjs")], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: options.hcl ? "true" : "false" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string }>;
  };
  const stacks = new Map<string, SynthesizedStack>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    stacks.set(id, { id, file: path.join(outdir, entry.synthesizedStackPath), dependencies: entry.dependencies });
  }
  return { outdir, stacks };
}

/** Every stack `id` waits for, directly or through other stacks. */
export function dependenciesOf(output: AppOutput, id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const dependency of output.stacks.get(current)?.dependencies ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(id);
  return seen;
}
