/**
 * The whole matrix, as `cdktf synth` writes it: every stack id, the deploy order cdktf reads from
 * the manifest, and a snapshot for every stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runApp } from "./support/app-output";

const { outdir } = runApp();
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
  stacks: Record<string, { dependencies: string[]; synthesizedStackPath: string; workingDirectory: string }>;
};

const layersOf = (env: string, cloud: string, layers: string[]) => layers.map((layer) => `${env}-${cloud}-${layer}`);
const EXPECTED = [
  ...layersOf("staging", "aws", ["bootstrap", "network", "cluster", "data", "platform"]),
  ...layersOf("staging", "gcp", ["bootstrap", "network", "cluster", "data", "platform"]),
  "staging-cloudflare-edge",
  ...layersOf("production", "aws", ["bootstrap", "network", "cluster", "data", "platform"]),
  ...layersOf("production", "gcp", ["bootstrap", "network", "cluster", "data", "platform"]),
  ...layersOf("production", "azure", ["bootstrap", "network", "cluster", "data", "platform"]),
  // DigitalOcean has no state store of its own to bootstrap unless `native` state falls back to Spaces.
  ...layersOf("production", "digitalocean", ["network", "cluster", "data", "platform"]),
  "production-cloudflare-edge",
  // Messaging (Kafka, RabbitMQ) on every enabled cloud: docs/messaging.md.
  ...["staging-aws", "staging-gcp", "production-aws", "production-gcp", "production-azure", "production-digitalocean"].map((prefix) => `${prefix}-messaging`),
  // The private network between the clouds: a gateway per linked cloud, a link stack per pair.
  ...layersOf("staging", "aws", ["gateway"]),
  ...layersOf("staging", "gcp", ["gateway"]),
  "staging-interconnect-aws-gcp",
  ...layersOf("production", "aws", ["gateway"]),
  ...layersOf("production", "gcp", ["gateway"]),
  ...layersOf("production", "azure", ["gateway"]),
  "production-interconnect-aws-gcp",
  "production-interconnect-aws-azure",
  "production-interconnect-gcp-azure",
];

describe("the stack matrix", () => {
  test("every environment builds every stack of every enabled cloud, and nothing else", () => {
    expect(Object.keys(manifest.stacks).sort()).toEqual([...EXPECTED].sort());
  });

  test.each(EXPECTED.filter((id) => /-(cluster|data|messaging)$/.test(id)))("%s is deployed after its network", (id) => {
    expect(manifest.stacks[id].dependencies).toContain(id.replace(/-(cluster|data|messaging)$/, "-network"));
  });

  test.each(EXPECTED.filter((id) => id.endsWith("-platform")))("%s is deployed after its cluster", (id) => {
    expect(manifest.stacks[id].dependencies).toContain(id.replace(/-platform$/, "-cluster"));
  });

  test.each(["staging", "production"])("the %s edge is deployed after every platform stack of its environment", (env) => {
    const platforms = EXPECTED.filter((id) => id.startsWith(`${env}-`) && id.endsWith("-platform"));
    expect(manifest.stacks[`${env}-cloudflare-edge`].dependencies.sort()).toEqual(expect.arrayContaining(platforms.sort()));
  });

  test("bootstrap stacks keep local state and depend on nothing", () => {
    for (const id of EXPECTED.filter((s) => s.endsWith("-bootstrap"))) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
      expect(json.terraform.backend.local.path).toBe(`../../../terraform-state/${id}.tfstate`);
      expect(manifest.stacks[id].dependencies).toEqual([]);
    }
  });

  test("no stack relies on cdktf's automatic cross-stack outputs", () => {
    for (const id of EXPECTED) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
      for (const [name, output] of Object.entries<any>(json.output ?? {})) {
        expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(output.description).toEqual(expect.any(String));
        expect(output.sensitive ?? false).toBe(false);
      }
    }
  });

  test("every provider is pinned to an exact version and Terraform to >= 1.11 (write-only arguments)", () => {
    for (const id of EXPECTED) {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
      expect(json.terraform.required_version).toBe(">= 1.11.0");
      for (const [name, provider] of Object.entries<any>(json.terraform.required_providers ?? {})) {
        expect([name, provider.version]).toEqual([name, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
      }
    }
  });

  // checkov 3.3.30's terraform_json parser crashes on cdktf's `dynamic` blocks ("argument of type
  // 'int' is not iterable") and drops most of the file, so a stack with one is barely scanned.
  test("no resource uses a dynamic block (checkov's terraform_json parser cannot read them)", () => {
    const withDynamic = (value: unknown, at: string): string[] =>
      value === null || typeof value !== "object"
        ? []
        : Object.entries(value).flatMap(([key, inner]) => (key === "dynamic" ? [`${at}.dynamic`] : withDynamic(inner, `${at}.${key}`)));
    const found = EXPECTED.flatMap((id) => {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
      return withDynamic({ resource: json.resource ?? {}, data: json.data ?? {} }, id);
    });
    expect(found).toEqual([]);
  });

  // A provider no resource uses still makes `terraform init` download and pin it, and reviewers
  // read it as a dependency: every configured provider is the provider of something in the stack.
  test("every provider a stack configures is used by one of its resources, data sources or ephemeral values", () => {
    const unused = EXPECTED.flatMap((id) => {
      const json = JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[id].synthesizedStackPath), "utf8"));
      const used = new Set(
        ["resource", "data", "ephemeral"].flatMap((kind) => Object.keys(json[kind] ?? {})).map((type) => type.split("_")[0]),
      );
      return Object.keys(json.provider ?? {}).filter((name) => !used.has(name)).map((name) => `${id}: ${name}`);
    });
    expect(unused).toEqual([]);
  });

  test("every stack has a formatted-HCL snapshot", () => {
    const snapshotDir = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? snapshotDir(path.join(dir, entry.name)) : entry.name.endsWith(".snap") ? [path.join(dir, entry.name)] : [],
      );
    const snapshots = snapshotDir(__dirname).map((file) => fs.readFileSync(file, "utf8")).join("\n");
    const missing = EXPECTED.filter((id) => !snapshots.includes(`${id} matches its formatted HCL snapshot`));
    expect(missing).toEqual([]);
  });
});
