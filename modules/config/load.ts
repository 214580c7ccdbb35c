/**
 * Loads environments: schema validation plus the rules that span fields and clouds.
 * Every problem is reported at once, each with its field path, before anything is synthesized.
 */
import { Netmask } from "netmask";
import type { z } from "zod";
import { GKE_MINIMUM_MAINTENANCE_HOURS, minimumMaintenanceHours } from "../maintenance";
import { API_RATE_LIMIT_FIELDS, CLOUDFLARE_PLAN_FEATURES } from "./cloudflare-plans";
import { addonEnabled } from "./clouds/platform";
import { dataRoleProblems } from "./data-roles";
import { EnvironmentConfig, KUBERNETES_CLOUDS } from "./environment";
import { versionProblems } from "./versions";
import { messagingOn, messagingProblems } from "./messaging";
import { interconnectProblems } from "../interconnect";

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
  if (azure?.keyVaultAccess === "allowlist" && azure.deployAllowlist.length === 0) {
    problems.push({
      path: `${env.name}.clouds.azure.deployAllowlist`,
      message: "keyVaultAccess 'allowlist' needs the public networks Terraform runs from; the list is empty (add them, or deploy from inside the VNet with keyVaultAccess 'private-endpoint')",
    });
  }
  // Key Vault and Storage firewalls take only public addresses (RFC 1918 ranges are refused).
  for (const [index, cidr] of (azure?.deployAllowlist ?? []).entries()) {
    const privateRange = RFC1918.find((range) => new Netmask(range).contains(cidr.split("/")[0]));
    if (privateRange) {
      problems.push({
        path: `${env.name}.clouds.azure.deployAllowlist.${index}`,
        message: `${cidr} lies in the private range ${privateRange}; the state account's and Key Vaults' firewalls admit only public networks (a runner on a private network reaches them through the VNet, keyVaultAccess 'private-endpoint')`,
      });
    }
  }
  const redis = azure?.data.redis;
  if (redis && redis.enabled && redis.zones.length > redis.replicasPerPrimary + 1) {
    problems.push({
      path: `${env.name}.clouds.azure.data.redis.zones`,
      message: `${redis.zones.length} zones need at least ${redis.zones.length} nodes; replicasPerPrimary ${redis.replicasPerPrimary} gives ${redis.replicasPerPrimary + 1} (Azure refuses more zones than nodes)`,
    });
  }
  const gkeWindow = env.clouds.gcp?.cluster.maintenance;
  if (gkeWindow) {
    const hours = minimumMaintenanceHours(gkeWindow.days, gkeWindow.durationHours);
    if (hours < GKE_MINIMUM_MAINTENANCE_HOURS) {
      problems.push({
        path: `${env.name}.clouds.gcp.cluster.maintenance`,
        message: `${gkeWindow.days.join(",")} for ${gkeWindow.durationHours} h gives ${hours} h of maintenance in the worst 32 days; GKE refuses less than ${GKE_MINIMUM_MAINTENANCE_HOURS} h (add days or lengthen durationHours)`,
      });
    }
  }
  const cf = env.cloudflare;
  if (cf?.parentZone && !env.domain.endsWith(`.${cf.parentZone}`)) {
    problems.push({ path: `${env.name}.cloudflare.parentZone`, message: `${env.domain} is not inside ${cf.parentZone}` });
  }
  if (cf) problems.push(...edgePlanProblems(env));
  const order = cf?.api.failoverOrder ?? [];
  for (const [index, cloud] of order.entries()) {
    if (order.indexOf(cloud) !== index) problems.push({ path: `${env.name}.cloudflare.api.failoverOrder`, message: `lists '${cloud}' twice` });
    if (!env.clouds[cloud]) problems.push({ path: `${env.name}.cloudflare.api.failoverOrder`, message: `'${cloud}' is not enabled in this environment` });
  }
  if (env.cloudflare && !KUBERNETES_CLOUDS.some((cloud) => env.clouds[cloud])) {
    problems.push({ path: `${env.name}.cloudflare`, message: "the edge needs at least one enabled cloud to route to" });
  }
  if (env.platform.enabled) {
    for (const cloud of KUBERNETES_CLOUDS.filter((c) => env.clouds[c])) {
      if (addonEnabled(env.platform, cloud, "vault") && !addonEnabled(env.platform, cloud, "cert-manager")) {
        problems.push({ path: `${env.name}.platform.cloudAddons.${cloud}`, message: "'vault' is on but 'cert-manager' is off; Vault's TLS certificate is issued by cert-manager" });
      }
      if (cloud !== "aws" && messagingOn(env, cloud, "rabbitmq") && !addonEnabled(env.platform, cloud, "cert-manager")) {
        problems.push({
          path: `${env.name}.platform.cloudAddons.${cloud}`,
          message: `'cert-manager' is off but messaging.${cloud}.rabbitmq is on; RabbitMQ's TLS certificates are issued by cert-manager (or set messaging.${cloud}.rabbitmq.enabled: false)`,
        });
      }
    }
  }
  if (env.state.type === "native" && !env.clouds[env.state.fallback]) {
    problems.push({
      path: `${env.name}.state.fallback`,
      message: `native state falls back to '${env.state.fallback}', which this environment does not enable`,
    });
  }
  const interconnect = interconnectProblems(env);
  for (const problem of interconnect) problems.push({ path: `${env.name}.${problem.path}`, message: problem.message });
  // Which clouds are linked is known only once the interconnect section is valid.
  for (const problem of dataRoleProblems(env, { checkLinks: interconnect.length === 0 })) problems.push({ path: `${env.name}.${problem.path}`, message: problem.message });
  return problems;
}

/** Options of {@link loadEnvironments}. */
export interface LoadOptions {
  /**
   * The day versions are checked against (standard support must not have ended on it).
   * @default now
   */
  readonly today?: Date;
}
/** Private ranges (RFC 1918) that Azure's service firewalls refuse in IP rules. */
const RFC1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Edge features the environment's Cloudflare plan does not have. */
function edgePlanProblems(env: EnvironmentConfig): ConfigProblem[] {
  const cf = env.cloudflare!;
  const plan = CLOUDFLARE_PLAN_FEATURES[cf.plan];
  const at = (field: string) => `${env.name}.cloudflare.${field}`;
  const problems: ConfigProblem[] = [];
  if (cf.parentZone) {
    // Universal SSL covers one level below the zone apex; deeper names need an advanced certificate.
    if (!cf.advancedCertificateManager) {
      problems.push({
        path: at("advancedCertificateManager"),
        message: `the hosts of ${env.domain} (www, api) lie more than one level below ${cf.parentZone}, beyond Universal SSL, so the stack adds an advanced certificate pack, which needs Advanced Certificate Manager on the zone; subscribe to it and set true`,
      });
    }
    // The zone's rulesets belong to the zone's own edge stack; nothing else here depends on the plan.
    return problems;
  }
  if (cf.waf.managedRulesets && !plan.managedWafRulesets) {
    problems.push({
      path: at("waf.managedRulesets"),
      message: `the Cloudflare Managed and OWASP Core rulesets need a Pro plan or higher, the zone's plan is '${cf.plan}' (set false to keep only the Free Managed Ruleset Cloudflare runs on every zone)`,
    });
  }
  const limit = cf.api.rateLimit;
  if (limit.enabled) {
    const refused = plan.rateLimitFields ? API_RATE_LIMIT_FIELDS.filter((field) => !plan.rateLimitFields!.includes(field)) : [];
    if (refused.length > 0) {
      problems.push({
        path: at("api.rateLimit.enabled"),
        message: `the API rate limit matches on ${refused.join(", ")}, which '${cf.plan}' rate limiting rules cannot use (they match on ${plan.rateLimitFields!.join(", ")}); declare a paid plan or set false`,
      });
    }
    if (limit.periodSeconds > plan.maxRateLimitPeriod) {
      problems.push({ path: at("api.rateLimit.periodSeconds"), message: `${limit.periodSeconds} s exceeds the ${plan.maxRateLimitPeriod} s the '${cf.plan}' plan allows` });
    }
    if (limit.mitigationTimeoutSeconds > plan.maxMitigationTimeout) {
      problems.push({
        path: at("api.rateLimit.mitigationTimeoutSeconds"),
        message: `${limit.mitigationTimeoutSeconds} s exceeds the ${plan.maxMitigationTimeout} s the '${cf.plan}' plan allows`,
      });
    }
  }
  return problems;
}

/**
 * Validates environment inputs (as written in `config/`), returning typed configs with defaults
 * applied. Throws a {@link ConfigError} listing every problem.
 */
export function loadEnvironments(inputs: readonly unknown[], options: LoadOptions = {}): EnvironmentConfig[] {
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
    problems.push(...versionProblems(parsed.data, options.today ?? new Date()));
    problems.push(...messagingProblems(parsed.data));
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
