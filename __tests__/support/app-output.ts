/**
 * What `cdktf synth` (and `cdktf synth --hcl`) leave in cdktf.out: the real app command from
 * cdktf.json (`node scripts/app.mjs`) run into a temporary directory, so tests read the files and
 * the manifest users and pipelines get, post-processing included.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
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

/**
 * Runs the app as `cdktf synth` does and indexes what it wrote. Under jest the output of each kind
 * of run (JSON, HCL, review) is made once per test run and shared by every test file and worker
 * (__tests__/global-setup.ts names the directory): the first file to ask runs the app, the others
 * wait for it. Tests only read what it wrote. Outside jest every call runs the app.
 */
export function runApp(options: RunAppOptions = {}): AppOutput {
  const shared = process.env.ADDTOCLOUD_TEST_APP_OUTPUT;
  if (!shared) return synthesizeInto(fs.mkdtempSync(path.join(os.tmpdir(), options.hcl ? "app-hcl-" : "app-json-")), options);
  const key = createHash("sha256").update(JSON.stringify([options.hcl ?? false, Object.entries(options.env ?? {}).sort()])).digest("hex").slice(0, 16);
  const outdir = path.join(shared, key);
  const done = `${outdir}.done`;
  try {
    fs.mkdirSync(`${outdir}.lock`);
  } catch {
    // Another worker runs this kind of synth: wait for its marker (or its failure).
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(done)) {
      if (Date.now() > deadline) throw new Error(`runApp: no output in ${outdir} after 180 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    const failure = fs.readFileSync(done, "utf8");
    if (failure) throw new Error(`runApp: the shared synth failed in another test file: ${failure}`);
    return indexOutput(outdir);
  }
  try {
    const output = synthesizeInto(outdir, options);
    fs.writeFileSync(done, "");
    return output;
  } catch (error) {
    fs.writeFileSync(done, String((error as Error).message ?? error) || "unknown error");
    throw error;
  }
}

function synthesizeInto(outdir: string, options: RunAppOptions): AppOutput {
  fs.mkdirSync(outdir, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "app.mjs")], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, CDKTF_OUTDIR: outdir, SYNTH_HCL_OUTPUT: options.hcl ? "true" : "false" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return indexOutput(outdir);
}

function indexOutput(outdir: string): AppOutput {
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
