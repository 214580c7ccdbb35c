/**
 * Generated secrets stay out of Terraform state: over every synthesized stack, passwords are
 * ephemeral `random_password`s that reach resources only through write-only arguments (`*_wo`,
 * each with its `*_wo_version`), and no managed generated-secret resource remains unless one of its
 * consumers has no write-only argument at the pinned provider (the exceptions documented in
 * docs/state-and-review.md). Write-only arguments need Terraform >= 1.11.
 */
import * as fs from "node:fs";
import { REQUIRED_TERRAFORM_VERSION } from "../../modules/layer-stack";
import { runApp } from "../support/app-output";

const output = runApp();
const stacks = [...output.stacks.values()].map((stack) => ({ id: stack.id, json: JSON.parse(fs.readFileSync(stack.file, "utf8")) }));

/** Managed resources whose generated value Terraform keeps in state. */
const GENERATED_SECRET_TYPES = ["random_password", "random_string", "random_bytes", "tls_private_key"];
/**
 * Arguments with no write-only variant at the pinned provider: a generated secret one of them takes
 * must be a managed `random_password` (in state), and is documented in docs/state-and-review.md.
 */
const NO_WRITE_ONLY_CONSUMERS = new Map([
  ["mongodbatlas_database_user.password", "mongodbatlas 1.41.1: the database user has no password_wo"],
  ["aws_mq_broker.password", "hashicorp/aws 6.25.0: aws_mq_broker's user block has no password_wo"],
  ["aws_vpn_connection.tunnel1_preshared_key", "hashicorp/aws 6.25.0: no tunnel1_preshared_key_wo"],
  ["aws_vpn_connection.tunnel2_preshared_key", "hashicorp/aws 6.25.0: no tunnel2_preshared_key_wo"],
  ["google_compute_vpn_tunnel.shared_secret", "hashicorp/google 6.50.0: no shared_secret_wo"],
  ["azurerm_virtual_network_gateway_connection.shared_key", "hashicorp/azurerm 4.55.0: no shared_key_wo"],
  ["google_database_migration_service_connection_profile.password", "hashicorp/google 6.50.0: the DMS source profile's postgresql block has no password_wo"],
]);
/**
 * The secret-store copy of such a state-held password, for the applications. It stays a plain
 * argument: the value is in state anyway, and a write-only copy would not follow a replaced password
 * (its version would have to be raised by hand while the consumer above takes the new value at once).
 */
const STATE_HELD_COPIES = new Set(["google_secret_manager_secret_version.secret_data", "aws_secretsmanager_secret_version.secret_string"]);

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
          for (const [path] of referencesTo(body, /(?<![\w.-])ephemeral\./, `${type}.${name}`)) {
            const argument = path.split(".").pop()!;
            if (!argument.endsWith("_wo")) misuse.push(`${id}: ${path} is not write-only`);
            // A number, or a non-ephemeral reference (a copy follows its source's version, e.g. a contract field).
            else if (!(typeof body[`${argument}_version`] === "number" || (typeof body[`${argument}_version`] === "string" && !/ephemeral\./.test(body[`${argument}_version`])))) misuse.push(`${id}: ${path} has no ${argument}_version`);
          }
        }
      }
      for (const output of Object.keys(json.output ?? {})) {
        if (referencesTo(json.output[output], /(?<![\w.-])ephemeral\./, output).length > 0) misuse.push(`${id}: output ${output} carries an ephemeral value`);
      }
    }
    expect(misuse).toEqual([]);
  });

  test.each([...NO_WRITE_ONLY_CONSUMERS])("%s still has no write-only variant (%s)", (consumer) => {
    // Read from the pinned binding: once a provider upgrade adds `<argument>_wo`, the exception goes.
    const [type, argument] = consumer.split(".");
    const [provider, ...rest] = type.split("_");
    const file = require.resolve(`@cdktf/provider-${provider}/lib/${rest.join("-")}/index.d.ts`);
    const camel = argument.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const source = fs.readFileSync(file, "utf8");
    expect(source).toMatch(new RegExp(`readonly ${camel}\\??:`));
    expect(source).not.toMatch(new RegExp(`readonly ${camel}Wo\\??:`));
  });

  // A secret of the primary's account copied into another cloud's store is read by an ephemeral
  // `aws_secretsmanager_secret_version` and written write-only; a data source would put the value in
  // the consuming stack's state. Only a consumer without a write-only variant may read one.
  test("secrets read from Secrets Manager in other stacks are ephemeral, except for consumers without a write-only argument", () => {
    const held: string[] = [];
    for (const { id, json } of stacks) {
      for (const name of Object.keys(json.data?.aws_secretsmanager_secret_version ?? {})) {
        const pattern = new RegExp(`(?<![\\w.-])data\\.aws_secretsmanager_secret_version\\.${name}\\.`);
        const consumers = Object.entries<Record<string, any>>(json.resource ?? {}).flatMap(([consumerType, byName]) =>
          Object.values(byName).flatMap((body) => referencesTo(body, pattern, "").map(([path]) => `${consumerType}.${path.split(".").pop()}`)),
        );
        const outputs = Object.keys(json.output ?? {}).filter((output) => referencesTo(json.output[output], pattern, output).length > 0);
        const unexpected = [...consumers.filter((consumer) => !NO_WRITE_ONLY_CONSUMERS.has(consumer)), ...outputs.map((o) => `output ${o}`)];
        if (unexpected.length > 0) held.push(`${id}: data.aws_secretsmanager_secret_version.${name} feeds ${unexpected.join(", ")}: read it ephemerally`);
      }
    }
    expect(held).toEqual([]);
    expect(stacks.some(({ json }) => json.ephemeral?.aws_secretsmanager_secret_version)).toBe(true);
  });

  test("no managed generated secret remains, except the documented state-held consumers", () => {
    const held: string[] = [];
    for (const { id, json } of stacks) {
      for (const type of GENERATED_SECRET_TYPES) {
        for (const name of Object.keys(json.resource?.[type] ?? {})) {
          // Also inside an expression (`${jsonencode({ password = random_password.x.result })}`).
          const pattern = new RegExp(`(?<![\\w.-])${type}\\.${name}\\.`);
          // Each consumer as `<resource type>.<argument>`.
          const consumers = Object.entries<Record<string, any>>(json.resource).flatMap(([consumerType, byName]) =>
            Object.values(byName).flatMap((body) => referencesTo(body, pattern, "").map(([path]) => `${consumerType}.${path.split(".").pop()}`)),
          );
          const unexpected = consumers.filter((consumer) => !NO_WRITE_ONLY_CONSUMERS.has(consumer) && !STATE_HELD_COPIES.has(consumer));
          if (unexpected.length > 0) held.push(`${id}: ${type}.${name} feeds ${unexpected.join(", ")}, which take a write-only value`);
          else if (!consumers.some((consumer) => NO_WRITE_ONLY_CONSUMERS.has(consumer))) held.push(`${id}: ${type}.${name} feeds no argument lacking a write-only variant (${consumers.join(", ") || "nothing"}): make it ephemeral`);
        }
      }
    }
    expect(held).toEqual([]);
  });
});
