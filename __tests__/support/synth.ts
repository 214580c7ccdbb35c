/**
 * Test helpers: build environments the way main.ts does, then synthesize single stacks to JSON
 * (for assertions) or to formatted HCL (for snapshots).
 */
import { format } from "@cdktf/hcl-tools";
import { App, Testing } from "cdktf";
import { environments as shippedInputs } from "../../config";
import { EnvironmentConfig, EnvironmentInput } from "../../modules/config/environment";
import { loadEnvironments } from "../../modules/config/load";
import { LayerStack } from "../../modules/layer-stack";
import { buildEnvironments } from "../../stacks/app";

/** The shipped environments, validated. */
export function shippedEnvironments(): EnvironmentConfig[] {
  return loadEnvironments(shippedInputs);
}

/** One shipped environment by name, validated, optionally with parts replaced. */
export function shippedEnvironment(name: string, mutate?: (input: EnvironmentInput) => void): EnvironmentConfig {
  const input = structuredClone(shippedInputs.find((env) => env.name === name));
  if (!input) throw new Error(`no shipped environment '${name}'`);
  mutate?.(input);
  return loadEnvironments([input])[0];
}

/** One build per environment object: a test file asks for several stacks of the same config. */
const builds = new WeakMap<EnvironmentConfig, { app: App; stacks: Map<string, LayerStack> }>();

/**
 * Builds environments into a test App and indexes the stacks by id. A single environment is built
 * once per config object (synthesizing a stack again gives the same output), several are built fresh.
 */
export function buildStacks(envs: readonly EnvironmentConfig[]): { app: App; stacks: Map<string, LayerStack> } {
  if (envs.length === 1) {
    const cached = builds.get(envs[0]);
    if (cached) return cached;
  }
  const built = buildFresh(envs);
  if (envs.length === 1) builds.set(envs[0], built);
  return built;
}

function buildFresh(envs: readonly EnvironmentConfig[]): { app: App; stacks: Map<string, LayerStack> } {
  const app = Testing.app();
  const stacks = new Map<string, LayerStack>();
  for (const stack of buildEnvironments(app, envs)) stacks.set(stack.node.id, stack);
  return { app, stacks };
}

/** Builds environments and returns one stack by id (throws with the known ids if absent). */
export function stackOf(envs: readonly EnvironmentConfig[], id: string): LayerStack {
  const { stacks } = buildStacks(envs);
  const stack = stacks.get(id);
  if (!stack) throw new Error(`no stack '${id}'; built: ${[...stacks.keys()].join(", ")}`);
  return stack;
}

/** The synthesized Terraform JSON of a stack, as a string (what cdktf's matchers take). */
export function synthString(stack: LayerStack): string {
  return Testing.synth(stack);
}

/** Synthesized Terraform JSON of a stack, parsed. */
export interface TerraformJson {
  terraform: Record<string, any>;
  provider?: Record<string, any[]>;
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  ephemeral?: Record<string, Record<string, any>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  locals?: Record<string, unknown>;
}

export function synthJson(stack: LayerStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** Every resource of one type in a synthesized stack (name -> attributes). */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there are none or several. */
export function onlyResource(json: TerraformJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * Formatted HCL of a stack: what `cdktf synth --hcl` writes for it (the stack renders its HCL,
 * scripts/app.mjs formats it the same way), which the snapshots hold and reviewers read.
 */
export async function synthHclFormatted(stack: LayerStack): Promise<string> {
  return format(Testing.synthHcl(stack));
}
