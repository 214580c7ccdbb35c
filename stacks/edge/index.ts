/**
 * `<env>-cloudflare-edge`: the environment behind Cloudflare. The Pages front end on the apex and
 * www, the API on `api.<domain>` load-balanced over every cluster's ingress gateway (read from the
 * platform stacks' contracts), and, where this stack owns the zone, its TLS settings and rulesets.
 */
import { DataCloudflareZone } from "@cdktf/provider-cloudflare/lib/data-cloudflare-zone";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { Construct } from "constructs";
import { ApiLoadBalancer, ApiOrigin } from "../../constructs/cloudflare/api-load-balancer";
import { PagesSite } from "../../constructs/cloudflare/pages-site";
import { SubdomainCertificate } from "../../constructs/cloudflare/subdomain-certificate";
import { SecurityRulesets } from "../../constructs/cloudflare/security-rulesets";
import { ZoneBaseline } from "../../constructs/cloudflare/zone-baseline";
import { EnvironmentConfig, KUBERNETES_CLOUDS, KubernetesCloud } from "../../modules/config/environment";
import { EdgeContract, PlatformContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import type { PlatformStackRef } from "../types";

/** Cloudflare region codes each cloud's cluster serves under geo steering. */
const GEO_REGIONS: Record<KubernetesCloud, readonly string[]> = {
  aws: ["ENAM", "WNAM"],
  gcp: ["SAM", "WEU", "EEU"],
  azure: ["ME", "AFR", "SAS"],
  digitalocean: ["SEAS", "NEAS", "OC"],
};

export function buildEdgeStack(scope: Construct, env: EnvironmentConfig, platforms: readonly PlatformStackRef[]): LayerStack | undefined {
  const cf = env.cloudflare;
  if (!cf) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "cloudflare", layer: "edge" });
  // The API token comes from CLOUDFLARE_API_TOKEN at plan time, never from the synthesized files.
  new CloudflareProvider(stack, "cloudflare", {});

  let zoneId: string;
  // The zone's actual plan, which the plan-gated rulesets check against cf.plan (owned zone only).
  let zonePlanId = "";
  if (cf.parentZone) {
    zoneId = new DataCloudflareZone(stack, "parent-zone", { filter: { name: cf.parentZone, account: { id: cf.accountId } } }).zoneId;
    new SubdomainCertificate(stack, "certificate", { zoneId, zoneName: cf.parentZone, domain: env.domain });
  } else {
    const zone = new ZoneBaseline(stack, "zone", { accountId: cf.accountId, domain: env.domain, preventDestroy: stack.production }).zone;
    zoneId = zone.id;
    zonePlanId = zone.plan.legacyId;
  }

  const site = new PagesSite(stack, "site", {
    accountId: cf.accountId,
    zoneId,
    projectName: cf.pages.projectName ?? resourceName(env, []),
    productionBranch: cf.pages.productionBranch,
    buildCommand: cf.pages.buildCommand,
    outputDirectory: cf.pages.outputDirectory,
    domain: env.domain,
  });

  const apiHost = `${cf.api.subdomain}.${env.domain}`;
  const order = cf.api.failoverOrder ?? KUBERNETES_CLOUDS;
  const ordered = order.map((cloud) => platforms.find((p) => p.cloud === cloud)).filter((p): p is PlatformStackRef => p !== undefined);
  let poolIds: string[] = [];
  if (ordered.length > 0) {
    const origins: ApiOrigin[] = ordered.map((platform) => ({
      name: platform.cloud,
      address: stack.read(PlatformContract, platform.stack).ingress_address,
      regions: GEO_REGIONS[platform.cloud],
    }));
    const lb = new ApiLoadBalancer(stack, "api", {
      accountId: cf.accountId,
      zoneId,
      hostname: apiHost,
      origins,
      healthCheckPath: cf.api.healthCheckPath,
      geoSteering: cf.api.geoSteering,
      namePrefix: resourceName(env, ["api"]),
    });
    poolIds = lb.pools.map((pool) => pool.id);
  }

  if (!cf.parentZone) {
    new SecurityRulesets(stack, "security", {
      zoneId,
      siteHosts: [env.domain, `www.${env.domain}`],
      apiHost,
      managedWaf: cf.waf.managedRulesets,
      apiRateLimit: cf.api.rateLimit.enabled
        ? {
            // requestsPerMinute scaled to the plan's period (Free counts over 10 s).
            requestsPerPeriod: Math.max(1, Math.round((cf.api.requestsPerMinute * cf.api.rateLimit.periodSeconds) / 60)),
            periodSeconds: cf.api.rateLimit.periodSeconds,
            mitigationTimeoutSeconds: cf.api.rateLimit.mitigationTimeoutSeconds,
          }
        : undefined,
      ddosSensitivity: cf.ddosSensitivity,
      zonePlan: { declared: cf.plan, actual: zonePlanId },
    });
  }

  stack.publish(EdgeContract, {
    zone_id: zoneId,
    pages_url: `https://${site.pagesHost}`,
    // No platform stacks (platform.enabled false): no load balancer, so no API host name either.
    api_hostname: poolIds.length > 0 ? apiHost : "",
    pool_ids: poolIds,
  });
  return stack;
}

/**
 * Orders every edge stack that lives under a parent zone (`cloudflare.parentZone`) after the edge
 * stack of the environment that creates that zone: the child reads the zone through a
 * `cloudflare_zone` data source, which fails to plan before the zone exists. Environments are
 * built independently, so this runs once all of them are built; a parent zone no built environment
 * owns is a prerequisite (and the reader is left unordered).
 */
export function orderEdgeStacks(stacks: readonly LayerStack[]): void {
  const edges = stacks.filter((stack) => stack.layer === "edge" && stack.cloud === "cloudflare");
  for (const reader of edges) {
    const parentZone = reader.env.cloudflare?.parentZone;
    if (!parentZone) continue;
    const owner = edges.find((edge) => edge !== reader && edge.env.domain === parentZone && !edge.env.cloudflare?.parentZone);
    if (owner) reader.addDependency(owner);
  }
}
