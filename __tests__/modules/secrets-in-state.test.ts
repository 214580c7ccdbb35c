/**
 * Generated secrets stay out of Terraform state: over every synthesized stack, passwords are
 * ephemeral `random_password`s that reach resources only through write-only arguments (`*_wo`,
 * each with its `*_wo_version`), and no managed generated-secret resource remains, except the one
 * documented in docs/state-and-review.md: the Atlas database user's password (mongodbatlas 1.41.1
 * has no write-only password). Write-only arguments need Terraform >= 1.11.
 */
import * as fs from "node:fs";
import { REQUIRED_TERRAFORM_VERSION } from "../../modules/layer-stack";
import { runApp } from "../support/app-output";

const output = runApp();
const stacks = [...output.stacks.values()].map((stack) => ({ id: stack.id, json: JSON.parse(fs.readFileSync(stack.file, "utf8")) }));

/** Managed resources whose generated value Terraform keeps in state. */
const GENERATED_SECRET_TYPES = ["random_password", "random_string", "random_bytes", "tls_private_key"];
/** Where a managed generated password may still go, and why (docs/state-and-review.md). */
const STATE_HELD_CONSUMERS = new Set(["mongodbatlas_database_user.password", "google_secret_manager_secret_version.secret_data"]);

/** Every `[path, value]` string leaf of a resource body whose value refers to `pattern`. */
function referencesTo(value: unknown, pattern: RegExp, path: string, into: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === "string" && pattern.test(value)) into.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item) => referencesTo(item, pattern, path, into));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) referencesTo(item, pattern, `${path}.${key}`, into);
  return into;
}

describe("generated secrets are not kept in state", () => {
  test("the matrix generates passwords ephemerally somewhere", () => {
    expect(stacks.some(({ json }) => json.ephemeral?.random_password)).toBe(true);
  });

  test.each(stacks.map(({ id }) => id))("%s requires Terraform >= 1.11", (id) => {
    const { json } = stacks.find((stack) => stack.id === id)!;
    expect(json.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
    expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.11.0");
  });

  test("ephemeral values reach resources only through write-only arguments with a version", () => {
    const misuse: string[] = [];
    for (const { id, json } of stacks) {
      for (const [type, byName] of Object.entries<Record<string, any>>(json.resource ?? {})) {
        for (const [name, body] of Object.entries(byName)) {
          for (const [path] of referencesTo(body, /\$\{ephemeral\./, `${type}.${name}`)) {
            const argument = path.split(".").pop()!;
            if (!argument.endsWith("_wo")) misuse.push(`${id}: ${path} is not write-only`);
            else if (typeof body[`${argument}_version`] !== "number") misuse.push(`${id}: ${path} has no ${argument}_version`);
          }
        }
      }
      for (const output of Object.keys(json.output ?? {})) {
        if (referencesTo(json.output[output], /\$\{ephemeral\./, output).length > 0) misuse.push(`${id}: output ${output} carries an ephemeral value`);
      }
    }
    expect(misuse).toEqual([]);
  });

  test("no managed generated secret remains, except the documented state-held consumers", () => {
    const held: string[] = [];
    for (const { id, json } of stacks) {
      for (const type of GENERATED_SECRET_TYPES) {
        for (const name of Object.keys(json.resource?.[type] ?? {})) {
          const pattern = new RegExp(`\\$\\{${type}\\.${name}\\.`);
          // Each consumer as `<resource type>.<argument>`.
          const consumers = Object.entries<Record<string, any>>(json.resource).flatMap(([consumerType, byName]) =>
            Object.values(byName).flatMap((body) => referencesTo(body, pattern, "").map(([path]) => `${consumerType}.${path.split(".").pop()}`)),
          );
          const unexpected = consumers.filter((consumer) => !STATE_HELD_CONSUMERS.has(consumer));
          if (consumers.length === 0 || unexpected.length > 0) held.push(`${id}: ${type}.${name} feeds ${unexpected.join(", ") || "nothing"}`);
        }
      }
    }
    expect(held).toEqual([]);
  });
});
