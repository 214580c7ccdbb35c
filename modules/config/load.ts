/**
 * Loads environments: schema validation plus the rules that span fields and clouds.
 * Every problem is reported at once, each with its field path, before anything is synthesized.
 */
import { Netmask } from "netmask";
import type { z } from "zod";
import { EnvironmentConfig, KUBERNETES_CLOUDS } from "./environment";

/** One problem in the config: where, and what is wrong. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown when the config is invalid; `problems` lists every one. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

function joinPath(parts: readonly PropertyKey[]): string {
  return parts.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

function fromZod(prefix: string, error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: [prefix, joinPath(issue.path)].filter(Boolean).join("."),
    message: issue.message,
  }));
}

/** Every CIDR block an environment claims, with its field path. */
function claimedRanges(env: EnvironmentConfig): { path: string; cidr: string }[] {
  const ranges: { path: string; cidr: string }[] = [];
  const add = (path: string, cidr: string | undefined) => cidr && ranges.push({ path, cidr });
  add("clouds.aws.network.cidr", env.clouds.aws?.network.cidr);
  const gcp = env.clouds.gcp;
  if (gcp) {
    add("clouds.gcp.network.cidr", gcp.network.cidr);
    add("clouds.gcp.network.podsCidr", gcp.network.podsCidr);
    add("clouds.gcp.network.servicesCidr", gcp.network.servicesCidr);
    add("clouds.gcp.network.privateServicesCidr", gcp.network.privateServicesCidr);
    add("clouds.gcp.cluster.masterCidr", gcp.cluster.masterCidr);
    add("clouds.gcp.data.mongodbAtlas.cidr", gcp.data.mongodbAtlas?.cidr);
  }
  const azure = env.clouds.azure;
  if (azure) {
    add("clouds.azure.network.cidr", azure.network.cidr);
    add("clouds.azure.network.podCidr", azure.network.podCidr);
    add("clouds.azure.network.serviceCidr", azure.network.serviceCidr);
  }
  add("clouds.digitalocean.network.cidr", env.clouds.digitalocean?.network.cidr);
  return ranges;
}

/** Rules that look at more than one field. */
function crossFieldProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ranges = claimedRanges(env);
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = new Netmask(ranges[i].cidr);
      const b = new Netmask(ranges[j].cidr);
      if (a.contains(b.base) || b.contains(a.base)) {
        problems.push({
          path: `${env.name}.${ranges[j].path}`,
          message: `${ranges[j].cidr} overlaps ${ranges[i].path} (${ranges[i].cidr}); every network of one environment needs its own range`,
        });
      }
    }
  }
  const azure = env.clouds.azure;
  if (azure && azure.data.cosmosMongo.secondaryLocation === azure.location) {
    problems.push({ path: `${env.name}.clouds.azure.data.cosmosMongo.secondaryLocation`, message: `must differ from the primary location ${azure.location}` });
  }
  const cf = env.cloudflare;
  if (cf?.parentZone && !env.domain.endsWith(`.${cf.parentZone}`)) {
    problems.push({ path: `${env.name}.cloudflare.parentZone`, message: `${env.domain} is not inside ${cf.parentZone}` });
  }
  const order = cf?.api.failoverOrder ?? [];
  for (const [index, cloud] of order.entries()) {
    if (order.indexOf(cloud) !== index) problems.push({ path: `${env.name}.cloudflare.api.failoverOrder`, message: `lists '${cloud}' twice` });
    if (!env.clouds[cloud]) problems.push({ path: `${env.name}.cloudflare.api.failoverOrder`, message: `'${cloud}' is not enabled in this environment` });
  }
  if (env.cloudflare && !KUBERNETES_CLOUDS.some((cloud) => env.clouds[cloud])) {
    problems.push({ path: `${env.name}.cloudflare`, message: "the edge needs at least one enabled cloud to route to" });
  }
  if (env.state.type === "native" && !env.clouds[env.state.fallback]) {
    problems.push({
      path: `${env.name}.state.fallback`,
      message: `native state falls back to '${env.state.fallback}', which this environment does not enable`,
    });
  }
  return problems;
}

/**
 * Validates environment inputs (as written in `config/`), returning typed configs with defaults
 * applied. Throws a {@link ConfigError} listing every problem.
 */
export function loadEnvironments(inputs: readonly unknown[]): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const environments: EnvironmentConfig[] = [];
  inputs.forEach((input, index) => {
    const label =
      typeof input === "object" && input !== null && typeof (input as { name?: unknown }).name === "string"
        ? (input as { name: string }).name
        : `environments[${index}]`;
    const parsed = EnvironmentConfig.safeParse(input);
    if (!parsed.success) {
      problems.push(...fromZod(label, parsed.error));
      return;
    }
    problems.push(...crossFieldProblems(parsed.data));
    environments.push(parsed.data);
  });
  const seen = new Set<string>();
  for (const env of environments) {
    if (seen.has(env.name)) problems.push({ path: `${env.name}.name`, message: `environment name '${env.name}' is used twice` });
    seen.add(env.name);
  }
  problems.push(...deliveryProblems(environments));
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}

/**
 * Rules across environments for the pipeline's identities: an AWS account holds one OIDC provider for
 * GitHub, and two environments sharing a GitHub environment would let one's approvals apply the other.
 */
function deliveryProblems(environments: readonly EnvironmentConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const providers = new Map<string, string>();
  const githubEnvironments = new Map<string, string>();
  const names = new Set<string>();
  for (const env of environments) {
    // A repeated environment is already reported by name; comparing it with itself says nothing more.
    if (names.has(env.name)) continue;
    names.add(env.name);
    const github = env.delivery.github;
    const account = env.clouds.aws?.accountId;
    if (github.identities && account && !github.awsOidcProviderArn) {
      const other = providers.get(account);
      if (other) {
        problems.push({
          path: `${env.name}.delivery.github.awsOidcProviderArn`,
          message: `AWS account ${account} gets its GitHub OIDC provider from ${other}'s bootstrap stack; pass that provider's ARN here`,
        });
      } else providers.set(account, env.name);
    }
    const key = `${github.repository}:${github.environment ?? env.name}`;
    const other = githubEnvironments.get(key);
    if (github.identities && other) {
      problems.push({
        path: `${env.name}.delivery.github.environment`,
        message: `GitHub environment '${github.environment ?? env.name}' of ${github.repository} already applies ${other}; each environment needs its own`,
      });
    } else if (github.identities) githubEnvironments.set(key, env.name);
  }
  return problems;
}

/**
 * Picks the environments to synthesize from a comma-separated selection (e.g. the
 * `ADDTOCLOUD_ENVIRONMENTS` variable). An empty selection keeps them all.
 */
export function selectEnvironments(all: readonly EnvironmentConfig[], selection: string | undefined): EnvironmentConfig[] {
  const wanted = (selection ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return [...all];
  const unknown = wanted.filter((name) => !all.some((env) => env.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((name) => ({
        path: "ADDTOCLOUD_ENVIRONMENTS",
        message: `unknown environment '${name}'; known: ${all.map((env) => env.name).join(", ")}`,
      })),
    );
  }
  return all.filter((env) => wanted.includes(env.name));
}
