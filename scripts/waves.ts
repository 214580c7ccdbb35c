// Deploy waves: the stacks of cdktf.out/manifest.json grouped so that every stack of a wave has all
// its dependencies in earlier waves (topological generations, from graphology-dag). The deploy
// workflow applies one wave at a time, the stacks of a wave in parallel.
//
//   npx tsx scripts/waves.ts                                   # table of every stack's wave
//   npx tsx scripts/waves.ts --environment production          # one environment's stacks
//   npx tsx scripts/waves.ts --by-environment staging,production   # the README's table
//   npx tsx scripts/waves.ts --only affected.json --json       # waves of the affected stacks only
//   npx tsx scripts/waves.ts --only affected.json --github-output --max-waves 6
import { appendFileSync, readFileSync } from "node:fs";
import * as path from "node:path";
import Graph from "graphology";
import { stronglyConnectedComponents } from "graphology-components";
import { topologicalGenerations } from "graphology-dag";

/** The part of cdktf's manifest.json these scripts read. */
export interface Manifest {
  readonly stacks: Record<string, { readonly name: string; readonly dependencies: readonly string[]; readonly synthesizedStackPath: string }>;
}

export function readManifest(outdir: string): Manifest {
  return JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
}

/** The dependency graph of the stacks: an edge from each dependency to the stack that needs it. */
export function stackGraph(manifest: Manifest): Graph {
  const graph = new Graph({ type: "directed", multi: false, allowSelfLoops: true });
  for (const id of Object.keys(manifest.stacks).sort()) graph.addNode(id);
  for (const [id, stack] of Object.entries(manifest.stacks)) {
    for (const dependency of stack.dependencies) {
      if (!graph.hasNode(dependency)) {
        throw new Error(`stack '${id}' depends on '${dependency}', which is not in the manifest`);
      }
      graph.mergeEdge(dependency, id);
    }
  }
  return graph;
}

/** The stacks that sit on a dependency cycle, one group per cycle (empty when the graph is acyclic). */
export function dependencyCycles(graph: Graph): string[][] {
  return stronglyConnectedComponents(graph)
    .filter((component) => component.length > 1 || graph.hasEdge(component[0], component[0]))
    .map((component) => [...component].sort())
    .sort((a, b) => a[0].localeCompare(b[0]));
}

export interface WavesOptions {
  /** Keep only these stacks (the affected ones); the order still follows the whole graph. @default every stack */
  readonly only?: readonly string[];
  /** Keep only the stacks of this environment (`<env>-` prefix). @default every environment */
  readonly environment?: string;
}

/**
 * The deploy waves. Waves are computed on the whole graph and then filtered, so a stack still waits
 * for an affected stack it depends on through an unaffected one. Empty waves are dropped.
 */
export function deployWaves(manifest: Manifest, options: WavesOptions = {}): string[][] {
  const graph = stackGraph(manifest);
  const cycles = dependencyCycles(graph);
  if (cycles.length > 0) {
    const described = cycles.map((cycle) => cycle.join(" -> ")).join("; ");
    throw new Error(`the stack dependencies form a cycle, so no stack of it can be deployed first: ${described}`);
  }
  const only = options.only ? new Set(options.only) : undefined;
  if (only) {
    const unknown = [...only].filter((id) => !graph.hasNode(id));
    if (unknown.length > 0) throw new Error(`not in the manifest: ${unknown.join(", ")}`);
  }
  return topologicalGenerations(graph)
    .map((wave) =>
      wave
        .filter((id) => !only || only.has(id))
        .filter((id) => !options.environment || id.startsWith(`${options.environment}-`))
        .sort(),
    )
    .filter((wave) => wave.length > 0);
}

/** A table for people: wave, stacks. */
export function wavesTable(waves: readonly (readonly string[])[]): string {
  const rows = ["| wave | stacks (deployed in parallel) |", "|---|---|"];
  waves.forEach((wave, i) => rows.push(`| ${i + 1} | ${wave.map((id) => `\`${id}\``).join(", ")} |`));
  return `${rows.join("\n")}\n`;
}

/** One column per environment (the table the README shows for the shipped config). */
export function wavesByEnvironmentTable(manifest: Manifest, environments: readonly string[]): string {
  const columns = environments.map((environment) => deployWaves(manifest, { environment }));
  const depth = Math.max(0, ...columns.map((waves) => waves.length));
  const rows = [`| wave | ${environments.join(" | ")} |`, `|---|${environments.map(() => "---|").join("")}`];
  for (let i = 0; i < depth; i++) {
    rows.push(`| ${i + 1} | ${columns.map((waves) => (waves[i] ?? []).map((id) => `\`${id}\``).join(", ")).join(" | ")} |`);
  }
  return `${rows.join("\n")}\n`;
}

function main(argv: string[]): void {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const manifest = readManifest(value("--outdir") ?? "cdktf.out");
  const byEnvironment = value("--by-environment");
  if (byEnvironment) {
    process.stdout.write(wavesByEnvironmentTable(manifest, byEnvironment.split(",")));
    return;
  }
  const onlyFile = value("--only");
  // --only takes the JSON the affected-stacks command writes (matrix entries with a `stack`).
  const entries: { stack: string }[] | undefined = onlyFile ? JSON.parse(readFileSync(onlyFile, "utf8")).include : undefined;
  const waves = deployWaves(manifest, { only: entries?.map((e) => e.stack), environment: value("--environment") });
  const maxWaves = value("--max-waves");
  if (maxWaves && waves.length > Number(maxWaves)) {
    throw new Error(`${waves.length} waves, but the deploy workflow has ${maxWaves} wave jobs: add wave jobs to .github/workflows/deploy-environment.yml`);
  }
  if (flag("--github-output")) {
    const out = process.env.GITHUB_OUTPUT;
    if (!out) throw new Error("--github-output needs GITHUB_OUTPUT (it runs inside GitHub Actions)");
    // One matrix per wave job, carrying the affected-stacks entry (runner, identities) of each stack.
    const lines = Array.from({ length: Number(maxWaves ?? waves.length) }, (_, i) => {
      const include = (waves[i] ?? []).map((id) => entries?.find((e) => e.stack === id) ?? { stack: id });
      return `wave_${i}=${JSON.stringify(include)}`;
    });
    lines.push(`stacks=${JSON.stringify(waves.flat())}`);
    appendFileSync(out, `${lines.join("\n")}\n`);
  }
  process.stdout.write(flag("--json") ? `${JSON.stringify(waves)}\n` : wavesTable(waves));
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`waves: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
