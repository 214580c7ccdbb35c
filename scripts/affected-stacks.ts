// Affected stacks: synthesizes two revisions and lists the stacks whose synthesized Terraform
// differs, plus the stacks that read a contract output that changed. The pull-request workflow
// plans exactly these stacks; the deploy workflow applies them in waves (scripts/waves.ts).
//
//   npx tsx scripts/affected-stacks.ts --base origin/main             # table for people (head = working tree)
//   npx tsx scripts/affected-stacks.ts --base HEAD~1 --head HEAD --json affected.json
//   npx tsx scripts/affected-stacks.ts --base-out a/cdktf.out --head-out b/cdktf.out   # compare two syntheses
//   npx tsx scripts/affected-stacks.ts --all --json all.json           # every stack (manual dispatch)
//   add --github-output to write `matrix` and `count` for a workflow job
//
// Comparing synthesized Terraform rather than changed file paths is what makes a change to a
// shared construct list exactly the stacks it reaches, and a change to one environment's config
// only that environment's stacks.
import { execFileSync, execSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { environments as shippedInputs } from "../config";
import { EnvironmentConfig } from "../modules/config/environment";
import { loadEnvironments } from "../modules/config/load";
import { applyEnvironment, githubIdentityName } from "../modules/delivery";
import { LAYERS } from "../modules/naming";
import { Manifest } from "./waves";

/** Synthesized Terraform JSON of one stack. */
type StackJson = Record<string, unknown>;

/** The credentials a job needs to plan or apply a stack, read from its synthesized Terraform. */
export interface Identities {
  readonly aws: boolean;
  readonly gcp: boolean;
  readonly azure: boolean;
  readonly digitalocean: boolean;
  readonly cloudflare: boolean;
  readonly atlas: boolean;
}

/** One row of the table, and one entry of the workflows' matrix. */
export interface AffectedStack extends Identities {
  readonly stack: string;
  readonly environment: string;
  readonly cloud: string;
  readonly layer: string;
  /** The environment's stage is production: the PR comment flags its destroys at the top. */
  readonly production: boolean;
  /** Why the stack is listed. */
  readonly reasons: string[];
  /** `runs-on` of the job: a hosted runner, or the self-hosted scale set inside the network. */
  readonly runner: string;
  /** True when the stack's endpoints are private and only a runner inside the network reaches them. */
  readonly private: boolean;
  /** Suffix of the repository variables holding this environment's identities (`AWS_PLAN_ROLE_ARN_<suffix>`). */
  readonly vars_suffix: string;
  /** The GitHub environment whose reviewers guard this stack's applies. */
  readonly github_environment: string;
  /** Region for the AWS credentials (empty when the environment has no AWS). */
  readonly aws_region: string;
  /** The roles the bootstrap stack creates (names are derived, so they are known before it runs). */
  readonly aws_plan_role: string;
  readonly aws_apply_role: string;
  /** The service accounts the GCP bootstrap stack creates. */
  readonly gcp_plan_service_account: string;
  readonly gcp_apply_service_account: string;
  readonly azure_tenant_id: string;
  readonly azure_subscription_id: string;
}

export interface AffectedResult {
  readonly stacks: AffectedStack[];
  /** Stacks synthesized at base but not at head: nothing destroys them automatically. */
  readonly removed: string[];
}

/** The hosted runner of stacks whose endpoints are public. */
export const HOSTED_RUNNER = "ubuntu-24.04";

/**
 * `<env>-<cloud>-<layer>`; environment names may hold '-', clouds and layers do not, except the
 * links between two clouds: `<env>-interconnect-<a>-<b>` has cloud `interconnect` and layer `<a>-<b>`.
 */
export function parseStackId(id: string): { environment: string; cloud: string; layer: string } {
  const parts = id.split("-");
  if (parts.length < 3) throw new Error(`'${id}' is not a stack id of the form <env>-<cloud>-<layer>`);
  const last = parts[parts.length - 1];
  if (parts.length >= 4 && parts[parts.length - 3] === "interconnect" && !(LAYERS as readonly string[]).includes(last)) {
    return { layer: parts.slice(-2).join("-"), cloud: "interconnect", environment: parts.slice(0, -3).join("-") };
  }
  return { layer: last, cloud: parts[parts.length - 2], environment: parts.slice(0, -2).join("-") };
}

/** The clouds a stack belongs to: its own, or both ends of an interconnect link. */
export function stackClouds(id: string): string[] {
  const { cloud, layer } = parseStackId(id);
  return cloud === "interconnect" ? layer.split("-") : [cloud];
}

/**
 * Stacks whose endpoints no hosted runner reaches: every platform stack (helm and kubernetes talk to
 * the private cluster API), Azure data (Terraform writes secrets and keys into a Key Vault whose
 * firewall admits only the VNet and `clouds.azure.deployAllowlist`) and Azure messaging (Terraform
 * creates the Event Hubs (Kafka) CMK in a Key Vault with public network access off, reached through its
 * private endpoint). Gateway and interconnect stacks only call the clouds' control-plane APIs.
 */
export function isPrivateStack(id: string): boolean {
  const { cloud, layer } = parseStackId(id);
  return layer === "platform" || (cloud === "azure" && (layer === "data" || layer === "messaging"));
}

/** Drops cdktf's `//` metadata (construct paths, unique ids): moving a construct is not a Terraform change. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== "//")
        .map(([key, inner]) => [key, withoutMetadata(inner)]),
    );
  }
  return value;
}

function readStacks(outdir: string): Map<string, StackJson> {
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
  const stacks = new Map<string, StackJson>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    const json = JSON.parse(readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8"));
    stacks.set(id, withoutMetadata(json) as StackJson);
  }
  return stacks;
}

function block(json: StackJson, ...keys: string[]): Record<string, unknown> {
  let value: unknown = json;
  for (const key of keys) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
}

/** `type.name` of a resource or `data.type.name` of a data source -> its configuration. */
function addressable(json: StackJson): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(block(json, "resource"))) {
    for (const [name, config] of Object.entries(byName as Record<string, unknown>)) map.set(`${type}.${name}`, config);
  }
  for (const [type, byName] of Object.entries(block(json, "data"))) {
    for (const [name, config] of Object.entries(byName as Record<string, unknown>)) map.set(`data.${type}.${name}`, config);
  }
  for (const [name, config] of Object.entries(block(json, "locals"))) map.set(`local.${name}`, config);
  return map;
}

/** The resources, data sources and locals an expression refers to. */
function references(value: unknown): string[] {
  const text = JSON.stringify(value);
  const refs = new Set<string>();
  for (const match of text.matchAll(/\b(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|local\.[A-Za-z0-9_-]+|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) {
    refs.add(match[1]);
  }
  return [...refs];
}

/**
 * The outputs of a stack that may read differently after the change: added, removed or rewritten
 * outputs, and outputs whose expression refers to a resource, data source or local whose
 * configuration changed (a new CIDR changes `vpc_cidr` although the output's text is the same).
 */
export function changedOutputs(base: StackJson | undefined, head: StackJson): Set<string> {
  const headOutputs = block(head, "output");
  if (!base) return new Set(Object.keys(headOutputs));
  const baseOutputs = block(base, "output");
  const baseThings = addressable(base);
  const headThings = addressable(head);
  const changed = new Set<string>();
  for (const name of new Set([...Object.keys(baseOutputs), ...Object.keys(headOutputs)])) {
    if (!isDeepStrictEqual(baseOutputs[name], headOutputs[name])) {
      changed.add(name);
      continue;
    }
    if (references(headOutputs[name]).some((ref) => !isDeepStrictEqual(baseThings.get(ref), headThings.get(ref)))) changed.add(name);
  }
  return changed;
}

/** For each `terraform_remote_state` of a stack: the producer stack it reads and the outputs it uses. */
export function contractReads(json: StackJson, knownStacks: readonly string[]): { producer: string; outputs: string[] }[] {
  const text = JSON.stringify(json);
  const byLength = [...knownStacks].sort((a, b) => b.length - a.length);
  const reads: { producer: string; outputs: string[] }[] = [];
  for (const [name, config] of Object.entries(block(json, "data", "terraform_remote_state"))) {
    // The producer's key (`<stack-id>.tfstate`, prefix `<stack-id>`, workspace `<prefix><stack-id>`) names it.
    const where = JSON.stringify((config as Record<string, unknown>).config ?? {});
    const producer = byLength.find((id) => where.includes(id));
    if (!producer) continue;
    const pattern = new RegExp(`data\\.terraform_remote_state\\.${name.replace(/[-]/g, "\\-")}\\.outputs\\.([A-Za-z0-9_]+)`, "g");
    const outputs = [...new Set([...text.matchAll(pattern)].map((m) => m[1]))].sort();
    reads.push({ producer, outputs });
  }
  return reads;
}

const PROVIDER_IDENTITY: Record<string, keyof Identities> = {
  aws: "aws",
  google: "gcp",
  "google-beta": "gcp",
  azurerm: "azure",
  azuread: "azure",
  digitalocean: "digitalocean",
  cloudflare: "cloudflare",
  mongodbatlas: "atlas",
};

function backendIdentity(type: string, config: Record<string, unknown>): keyof Identities | undefined {
  switch (type) {
    case "s3":
      // An S3 backend with an endpoint is DigitalOcean Spaces (keys from the DigitalOcean secrets).
      return config.endpoint || block(config as StackJson, "endpoints").s3 ? "digitalocean" : "aws";
    case "gcs":
      return "gcp";
    case "azurerm":
      return "azure";
    default:
      return undefined;
  }
}

/**
 * What a job must log in to for this stack: the providers it configures, the cloud of the
 * cluster its helm/kubernetes providers reach through exec credentials, its own state backend
 * and the backends of the states it reads.
 */
export function identitiesOf(id: string, json: StackJson): Identities {
  const needed = new Set<keyof Identities>();
  for (const provider of Object.keys(block(json, "terraform", "required_providers"))) {
    const identity = PROVIDER_IDENTITY[provider];
    if (identity) needed.add(identity);
    if (provider === "helm" || provider === "kubernetes") {
      const cloud = parseStackId(id).cloud;
      const clusterIdentity = PROVIDER_IDENTITY[cloud === "gcp" ? "google" : cloud === "azure" ? "azurerm" : cloud];
      if (clusterIdentity) needed.add(clusterIdentity);
    }
  }
  for (const [type, config] of Object.entries(block(json, "terraform", "backend"))) {
    const identity = backendIdentity(type, config as Record<string, unknown>);
    if (identity) needed.add(identity);
  }
  for (const config of Object.values(block(json, "data", "terraform_remote_state"))) {
    const c = config as { backend?: string; config?: Record<string, unknown> };
    const identity = backendIdentity(c.backend ?? "", c.config ?? {});
    if (identity) needed.add(identity);
  }
  return {
    aws: needed.has("aws"),
    gcp: needed.has("gcp"),
    azure: needed.has("azure"),
    digitalocean: needed.has("digitalocean"),
    cloudflare: needed.has("cloudflare"),
    atlas: needed.has("atlas"),
  };
}

/** The self-hosted runner scale set of an environment's cloud: `<runnerPrefix>-<env>-<cloud>`. */
export function privateRunner(env: EnvironmentConfig, cloud: string): string {
  return `${env.delivery.github.runnerPrefix}-${env.name}-${cloud}`;
}

/** The identities of `env` a job passes to the cloud login actions; empty where the cloud is not enabled. */
export function pipelineIdentities(env: EnvironmentConfig): Pick<AffectedStack, "aws_region" | "aws_plan_role" | "aws_apply_role" | "gcp_plan_service_account" | "gcp_apply_service_account" | "azure_tenant_id" | "azure_subscription_id"> {
  const { aws, gcp, azure } = env.clouds;
  const role = (kind: "plan" | "apply") => (aws ? `arn:aws:iam::${aws.accountId}:role/${githubIdentityName(env, "aws", kind)}` : "");
  const account = (kind: "plan" | "apply") => (gcp ? `${githubIdentityName(env, "gcp", kind)}@${gcp.projectId}.iam.gserviceaccount.com` : "");
  return {
    aws_region: aws?.region ?? "",
    aws_plan_role: role("plan"),
    aws_apply_role: role("apply"),
    gcp_plan_service_account: account("plan"),
    gcp_apply_service_account: account("apply"),
    azure_tenant_id: azure?.tenantId ?? "",
    azure_subscription_id: azure?.subscriptionId ?? "",
  };
}

/** Compares two synthesized outputs (directories holding manifest.json). */
export function affectedStacks(baseOut: string, headOut: string, environments: readonly EnvironmentConfig[]): AffectedResult {
  const base = existsSync(path.join(baseOut, "manifest.json")) ? readStacks(baseOut) : new Map<string, StackJson>();
  const head = readStacks(headOut);
  const reasons = new Map<string, string[]>();
  const add = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason]);

  const changed = new Map<string, Set<string>>();
  for (const [id, json] of head) {
    const before = base.get(id);
    if (!before) add(id, "new stack");
    else if (!isDeepStrictEqual(before, json)) add(id, "Terraform changed");
    else continue;
    changed.set(id, changedOutputs(before, json));
  }
  const ids = [...head.keys()];
  for (const [id, json] of head) {
    for (const read of contractReads(json, ids)) {
      const outputs = changed.get(read.producer);
      const hit = read.outputs.filter((o) => outputs?.has(o));
      if (hit.length > 0) add(id, `reads ${hit.map((o) => `${read.producer}.${o}`).join(", ")}`);
    }
  }

  const stacks = [...reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, why]): AffectedStack => {
      const { environment, cloud, layer } = parseStackId(id);
      const env = environments.find((e) => e.name === environment);
      if (!env) throw new Error(`stack '${id}' belongs to no configured environment (${environments.map((e) => e.name).join(", ")})`);
      const isPrivate = isPrivateStack(id);
      return {
        stack: id,
        environment,
        cloud,
        layer,
        production: env.stage === "production",
        reasons: why,
        runner: isPrivate ? privateRunner(env, cloud) : HOSTED_RUNNER,
        private: isPrivate,
        vars_suffix: environment.toUpperCase().replace(/-/g, "_"),
        github_environment: applyEnvironment(env),
        ...pipelineIdentities(env),
        ...identitiesOf(id, head.get(id) as StackJson),
      };
    });
  const removed = [...base.keys()].filter((id) => !head.has(id)).sort();
  return { stacks, removed };
}

/** A table for people. */
export function affectedTable(result: AffectedResult): string {
  if (result.stacks.length === 0 && result.removed.length === 0) return "No stack is affected.\n";
  const rows = ["| stack | runner | why |", "|---|---|---|"];
  for (const s of result.stacks) {
    const runner = isManualStack(s.stack) ? "by hand (local state)" : s.runner;
    rows.push(`| \`${s.stack}\` | ${runner} | ${s.reasons.join("; ")} |`);
  }
  for (const id of result.removed) rows.push(`| \`${id}\` | - | removed: destroy it by hand (\`cdktf destroy\` at the base revision) |`);
  return `${rows.join("\n")}\n`;
}

/**
 * Bootstrap stacks keep local state (they create the remote store), so no pipeline run can plan or
 * apply them: they are listed for people and left out of the matrix.
 */
export function isManualStack(id: string): boolean {
  return parseStackId(id).layer === "bootstrap";
}

/** The JSON the workflows' matrices take: `{ include: [...] }`, plus the stacks left to people. */
export function matrixJson(result: AffectedResult): string {
  return JSON.stringify({
    include: result.stacks.filter((s) => !isManualStack(s.stack)),
    manual: result.stacks.filter((s) => isManualStack(s.stack)).map((s) => s.stack),
    removed: result.removed,
  });
}

/** Synthesizes `revision` (or the working tree when undefined) with its own cdktf app command into `outdir`. */
export function synthesizeRevision(root: string, revision: string | undefined, outdir: string): void {
  let cwd = root;
  let worktree: string | undefined;
  if (revision) {
    worktree = mkdtempSync(path.join(tmpdir(), "affected-"));
    execFileSync("git", ["worktree", "add", "--detach", worktree, revision], { cwd: root, stdio: "ignore" });
    cwd = worktree;
    const sameLock = readFileSync(path.join(root, "package-lock.json"), "utf8") === readFileSync(path.join(worktree, "package-lock.json"), "utf8");
    // The same lockfile means the same packages: reuse them. Otherwise install the revision's own,
    // so a provider upgrade shows as the Terraform change it is.
    if (sameLock) symlinkSync(path.join(root, "node_modules"), path.join(worktree, "node_modules"), "dir");
    else execSync("npm install --no-audit --no-fund --no-save", { cwd, stdio: ["ignore", 2, 2] }); // progress on stderr: stdout is the table
  }
  try {
    const app = (JSON.parse(readFileSync(path.join(cwd, "cdktf.json"), "utf8")) as { app: string }).app;
    rmSync(outdir, { recursive: true, force: true });
    execSync(app, { cwd, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CDKTF_OUTDIR: path.resolve(outdir) } });
  } finally {
    if (worktree) execFileSync("git", ["worktree", "remove", "--force", worktree], { cwd: root, stdio: "ignore" });
  }
}

function main(argv: string[]): void {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.join(__dirname, "..");
  let baseOut = value("--base-out");
  let headOut = value("--head-out");
  const scratch = !baseOut || !headOut ? mkdtempSync(path.join(tmpdir(), "affected-out-")) : undefined;
  try {
    if (argv.includes("--all")) {
      // Every stack: a manual dispatch re-converges a whole environment. An empty base lists them all.
      baseOut = path.join(scratch ?? tmpdir(), "nothing");
    } else if (!baseOut) {
      const base = value("--base");
      if (!base) throw new Error("give --base <revision> (or --base-out <synthesized dir>)");
      baseOut = path.join(scratch as string, "base");
      synthesizeRevision(root, base, baseOut);
    }
    if (!headOut) {
      headOut = path.join(scratch as string, "head");
      synthesizeRevision(root, value("--head"), headOut);
    }
    const result = affectedStacks(baseOut, headOut, loadEnvironments(shippedInputs));
    const json = value("--json");
    if (json) writeFileSync(json, `${matrixJson(result)}\n`);
    if (argv.includes("--github-output")) {
      const out = process.env.GITHUB_OUTPUT;
      if (!out) throw new Error("--github-output needs GITHUB_OUTPUT (it runs inside GitHub Actions)");
      // `matrix` holds only `include`: any other key would become a matrix dimension.
      const { include, manual, removed } = JSON.parse(matrixJson(result)) as { include: unknown[]; manual: string[]; removed: string[] };
      const lines = [`matrix=${JSON.stringify({ include })}`, `count=${include.length}`, `manual=${JSON.stringify(manual)}`, `removed=${JSON.stringify(removed)}`];
      appendFileSync(out, `${lines.join("\n")}\n`);
    }
    process.stdout.write(affectedTable(result));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`affected-stacks: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
