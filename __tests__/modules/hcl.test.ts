/**
 * `cdktf synth --hcl`: the HCL users and pipelines get (the real app command, formatting
 * included) must parse and say what the JSON synth of the same stack says, for every stack of
 * every environment. Compared semantically, as Terraform reads the two syntaxes:
 * - a nested block is a list of objects in HCL and may be a single object or a list in JSON, and a
 *   JSON empty list of blocks is no block at all in HCL;
 * - meta-arguments holding references (`depends_on`, `provider`, `ignore_changes`) are bare in HCL;
 * - whitespace inside `${...}` interpolations is layout (`terraform fmt` changes it), not meaning.
 * Plugin-framework providers (Cloudflare 5, Helm 3) have nested attributes, not single blocks: for
 * them an object in JSON must be an object in HCL, since block syntax is "Unsupported block type".
 */
import { parse } from "@cdktf/hcl2json";
import * as fs from "node:fs";
import { renderHcl } from "../../modules/hcl";
import { runApp } from "../support/app-output";

const json = runApp();
const hcl = runApp({ hcl: true });
const ids = [...json.stacks.keys()];

const REFERENCE_KEYS = new Set(["ignore_changes", "replace_triggered_by"]);
const FRAMEWORK_PROVIDERS = ["cloudflare", "helm"];

/** Interpolations without layout whitespace; literal text is kept exactly. */
function normalizeTemplate(value: string): string {
  return value.replace(/\$\{[^\n]*\}/g, (interpolation) => interpolation.replace(/\s+/g, ""));
}

function bareReference(value: unknown): unknown {
  return typeof value === "string" ? value.replace(/^\$\{(.*)\}$/s, "$1") : value;
}

/** Differences between what Terraform reads from the HCL (`actual`) and from the JSON (`expected`). */
function differences(actual: unknown, expected: unknown, path: string, frameworkProvider: boolean, into: string[]): string[] {
  if (typeof actual === "string" && typeof expected === "string") {
    if (normalizeTemplate(actual) !== normalizeTemplate(expected)) into.push(`${path}: ${JSON.stringify(actual).slice(0, 160)} != ${JSON.stringify(expected).slice(0, 160)}`);
    return into;
  }
  if (Array.isArray(actual) && expected && typeof expected === "object" && !Array.isArray(expected)) {
    if (frameworkProvider) into.push(`${path}: written as a block, but the JSON has an attribute object`);
    else if (actual.length !== 1) into.push(`${path}: ${actual.length} blocks for one JSON object`);
    else differences(actual[0], expected, path, frameworkProvider, into);
    return into;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) into.push(`${path}: ${actual.length} items != ${expected.length}`);
    else actual.forEach((item, index) => differences(item, expected[index], `${path}[${index}]`, frameworkProvider, into));
    return into;
  }
  if (actual && expected && typeof actual === "object" && typeof expected === "object") {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(e)])) {
      if (key === "//") continue;
      if (a[key] === undefined && Array.isArray(e[key]) && (e[key] as unknown[]).length === 0) continue;
      const body = /^(resource|data)\.[^.]+\.[^.]+$/.test(path);
      // A dynamic block's iterator is an identifier: bare in HCL (hcl2json reads it as `${each}`), a plain string in JSON.
      const iterator = key === "iterator" && /\.dynamic\.[^.]+$/.test(path);
      if ((body && (key === "depends_on" || key === "provider")) || (path.endsWith(".lifecycle") && REFERENCE_KEYS.has(key)) || iterator) {
        const norm = (value: unknown) => (Array.isArray(value) ? value.map(bareReference) : bareReference(value));
        if (JSON.stringify(norm(a[key])) !== JSON.stringify(norm(e[key]))) into.push(`${path}.${key}: ${JSON.stringify(a[key])} != ${JSON.stringify(e[key])}`);
        continue;
      }
      // `lifecycle` is Terraform's own block in every resource, whatever the provider.
      differences(a[key], e[key], `${path}.${key}`, frameworkProvider && !(body && key === "lifecycle"), into);
    }
    return into;
  }
  if (JSON.stringify(actual) !== JSON.stringify(expected)) into.push(`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
  return into;
}

/** Compares block by block so a framework provider's resources are judged by its rules. */
function stackDifferences(actual: Record<string, any>, expected: Record<string, any>): string[] {
  const found: string[] = [];
  for (const key of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    if (key === "//") continue;
    if (key === "resource" || key === "data") {
      for (const type of new Set([...Object.keys(actual[key] ?? {}), ...Object.keys(expected[key] ?? {})])) {
        const framework = FRAMEWORK_PROVIDERS.includes(type.split("_")[0]);
        for (const name of new Set([...Object.keys(actual[key]?.[type] ?? {}), ...Object.keys(expected[key]?.[type] ?? {})])) {
          const written = actual[key]?.[type]?.[name];
          differences(Array.isArray(written) && written.length === 1 ? written[0] : written, expected[key]?.[type]?.[name], `${key}.${type}.${name}`, framework, found);
        }
      }
    } else if (key === "provider") {
      for (const name of new Set([...Object.keys(actual.provider ?? {}), ...Object.keys(expected.provider ?? {})])) {
        differences(actual.provider?.[name], expected.provider?.[name], `provider.${name}`, FRAMEWORK_PROVIDERS.includes(name), found);
      }
    } else if (key === "output") {
      for (const name of new Set([...Object.keys(actual.output ?? {}), ...Object.keys(expected.output ?? {})])) {
        differences(actual.output?.[name]?.[0], expected.output?.[name], `output.${name}`, false, found);
      }
    } else {
      differences(actual[key], expected[key], key, false, found);
    }
  }
  return found;
}

describe("cdktf synth --hcl", () => {
  test("writes the same stacks as the JSON synth", () => {
    expect([...hcl.stacks.keys()].sort()).toEqual([...ids].sort());
    expect(ids.length).toBeGreaterThan(0);
  });

  test.each(ids)("%s: the HCL parses and says what the JSON says", async (id) => {
    const written = fs.readFileSync(hcl.stacks.get(id)!.file, "utf8");
    const parsed = (await parse("cdk.tf", written)) as Record<string, any>;
    const expected = JSON.parse(fs.readFileSync(json.stacks.get(id)!.file, "utf8"));
    expect(stackDifferences(parsed, expected)).toEqual([]);
    expect(parsed.terraform[0].required_version).toBe(expected.terraform.required_version);
    // hcl2json's wasm start-up takes seconds on a loaded machine.
  }, 60_000);
});

describe("the HCL renderer", () => {
  test("keeps the quotes inside interpolations and escapes only literal text", async () => {
    const source = { resource: { t: { n: { policy: '${jsonencode({"a" = "b"})} "x" $${y}\\z', lines: "a\nb\n", list: ["a\nb\nc\n"] } } } };
    const parsed = (await parse("x.tf", renderHcl(source, new Set()))) as any;
    expect(parsed.resource.t.n[0]).toEqual(source.resource.t.n);
  });

  test("writes an ephemeral resource block, which cdktf's renderer drops", async () => {
    const source = { ephemeral: { random_password: { p: { length: 32 } } } };
    const parsed = (await parse("x.tf", renderHcl(source, new Set()))) as any;
    expect(parsed.ephemeral.random_password.p[0]).toEqual({ length: 32 });
  });

  test("refuses top-level keys it does not know instead of dropping them", () => {
    expect(() => renderHcl({ check: {} }, new Set())).toThrow("HCL output does not write top-level 'check'");
  });
});
