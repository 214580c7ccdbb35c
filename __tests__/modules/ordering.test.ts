/**
 * Deploy order: a stack that reads what another stack creates must be deployed after it, or its
 * first plan fails. Checked over the whole synthesized matrix (every environment, every stack), on
 * the manifest `cdktf deploy` reads:
 * - every `terraform_remote_state` points at the state of a synthesized stack the reader waits for;
 * - every other data source that names (by a literal `name`) a resource of its own type created by
 *   another stack waits for that stack (e.g. a child environment's edge reading the parent zone).
 */
import * as fs from "node:fs";
import { AppOutput, dependenciesOf, runApp } from "../support/app-output";

const output: AppOutput = runApp();
const json = new Map([...output.stacks.values()].map((stack) => [stack.id, JSON.parse(fs.readFileSync(stack.file, "utf8"))]));

/** The backend settings that say where a state lives (what a remote state must match). */
const LOCATION_KEYS = ["path", "bucket", "key", "prefix", "storage_account_name", "container_name", "organization", "workspaces"];
function location(config: Record<string, unknown>): string {
  return JSON.stringify(LOCATION_KEYS.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
}
const stateOwners = new Map<string, string>();
for (const [id, stack] of json) {
  for (const [type, config] of Object.entries<any>(stack.terraform.backend ?? {})) stateOwners.set(`${type}:${location(config)}`, id);
  if (stack.terraform.cloud) stateOwners.set(`remote:${location(stack.terraform.cloud)}`, id);
}

/** Literal strings anywhere in a data source's arguments. */
function literals(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string" && !value.includes("${")) into.add(value);
  else if (Array.isArray(value)) value.forEach((item) => literals(item, into));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) if (key !== "//") literals(item, into);
  return into;
}

const remoteStates = [...json].flatMap(([id, stack]) =>
  Object.entries<any>(stack.data?.terraform_remote_state ?? {}).map(([name, state]) => ({ id, name, state })),
);
const lookups = [...json].flatMap(([id, stack]) =>
  Object.entries<Record<string, any>>(stack.data ?? {})
    .filter(([type]) => type !== "terraform_remote_state")
    .flatMap(([type, sources]) => Object.entries(sources).map(([name, config]) => ({ id, type, name, values: literals(config) }))),
);

describe("stacks that read another stack's resources are deployed after it", () => {
  test("the matrix has remote states and data sources to check", () => {
    expect(remoteStates.length).toBeGreaterThan(0);
    expect(lookups.length).toBeGreaterThan(0);
  });

  test("every terraform_remote_state reads the state of a stack its reader waits for", () => {
    const unordered = remoteStates
      .map(({ id, name, state }) => ({ id, name, owner: stateOwners.get(`${state.backend}:${location(state.config)}`) }))
      .filter(({ id, owner }) => !owner || !dependenciesOf(output, id).has(owner))
      .map(({ id, name, owner }) => `${id}: data.terraform_remote_state.${name} reads ${owner ?? "no synthesized stack"}`);
    expect(unordered).toEqual([]);
  });

  test("every data source naming a resource another stack creates waits for that stack", () => {
    const unordered: string[] = [];
    for (const { id, type, name, values } of lookups) {
      for (const [producer, stack] of json) {
        if (producer === id) continue;
        for (const [resourceName, resource] of Object.entries<any>(stack.resource?.[type] ?? {})) {
          if (typeof resource.name !== "string" || !values.has(resource.name)) continue;
          if (!dependenciesOf(output, id).has(producer)) unordered.push(`${id}: data.${type}.${name} reads ${producer}'s ${type}.${resourceName} (${resource.name})`);
        }
      }
    }
    expect(unordered).toEqual([]);
  });
});
