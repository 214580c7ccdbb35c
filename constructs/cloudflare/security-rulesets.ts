/**
 * The zone's security and cache rules, as rulesets on their phase entry points: the Cloudflare
 * Managed and OWASP Core rulesets (WAF, Pro plan and above), a rate limit on the API, long cache
 * TTLs for the static site's assets and no caching for the API, and the HTTP DDoS managed ruleset
 * at a configurable sensitivity. What the declared plan allows is checked by the config loader
 * (modules/config/cloudflare-plans.ts). Terraform cannot set a zone's plan (`plan` is read-only on
 * `cloudflare_zone` in provider v5; a new zone starts on Free), so the rulesets a plan gates carry
 * a precondition on the zone's actual plan: an unsubscribed zone stops the apply there with the
 * fix, not with the API's refusal.
 */
import { Ruleset } from "@cdktf/provider-cloudflare/lib/ruleset";
import { Fn, TerraformResourceLifecycle } from "cdktf";
import { Construct } from "constructs";
import { CLOUDFLARE_PLANS, CloudflarePlan } from "../../modules/config/cloudflare-plans";

/** Cloudflare's managed rulesets, by their fixed ids. */
export const MANAGED_RULESETS = {
  cloudflareManaged: "efb7b8c949ac4650a09736fc376e9aee",
  owaspCore: "4814384a9e5d4991b9815dcfc25d2f1f",
  ddosL7: "4d21379b4f9f4bb088e0729962c8b3cf",
} as const;

export const STATIC_EXTENSIONS = ["js", "css", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "woff", "woff2", "ttf", "map", "txt"] as const;

/** Properties for {@link SecurityRulesets}. */
export interface SecurityRulesetsProps {
  readonly zoneId: string;
  /** Host names of the static site (apex and www). */
  readonly siteHosts: readonly string[];
  readonly apiHost: string;
  /** Run the Cloudflare Managed and OWASP Core rulesets (a paid plan). @default true */
  readonly managedWaf?: boolean;
  /** Rate-limit the API per client IP and data centre. @default no rate limit */
  readonly apiRateLimit?: ApiRateLimit;
  readonly ddosSensitivity: "default" | "medium" | "low" | "eoff";
  /**
   * The plan the config declares and the zone's actual plan (`plan.legacy_id` of the zone resource
   * or data source). @default no check (the caller vouches for the plan)
   */
  readonly zonePlan?: { readonly declared: CloudflarePlan; readonly actual: string };
}

/** The API rate limit: requests per period per client IP and data centre, then a block. */
export interface ApiRateLimit {
  readonly requestsPerPeriod: number;
  /** Seconds; the plan limits the values (Free: 10). */
  readonly periodSeconds: number;
  /** Seconds; the plan limits the values (Free: 10). */
  readonly mitigationTimeoutSeconds: number;
}

const hostIn = (hosts: readonly string[]) => `http.host in {${hosts.map((h) => `"${h}"`).join(" ")}}`;

export class SecurityRulesets extends Construct {
  constructor(scope: Construct, id: string, props: SecurityRulesetsProps) {
    super(scope, id);
    const planGated = planPrecondition(props.zonePlan);
    if (props.managedWaf ?? true) {
      new Ruleset(this, "waf", {
        zoneId: props.zoneId,
        name: "Managed WAF",
        description: "Cloudflare Managed and OWASP Core rulesets on every request",
        kind: "zone",
        phase: "http_request_firewall_managed",
        rules: [
          { action: "execute", expression: "true", description: "Cloudflare Managed Ruleset", enabled: true, actionParameters: { id: MANAGED_RULESETS.cloudflareManaged } },
          { action: "execute", expression: "true", description: "OWASP Core Ruleset", enabled: true, actionParameters: { id: MANAGED_RULESETS.owaspCore } },
        ],
        lifecycle: planGated,
      });
    }
    const limit = props.apiRateLimit;
    if (limit) {
      new Ruleset(this, "rate-limit", {
        zoneId: props.zoneId,
        name: "API rate limit",
        description: `At most ${limit.requestsPerPeriod} API requests per ${limit.periodSeconds} s per client IP`,
        kind: "zone",
        phase: "http_ratelimit",
        rules: [
          {
            action: "block",
            expression: `(http.host eq "${props.apiHost}")`,
            description: "Per-IP API rate limit",
            enabled: true,
            // cf.colo.id is required in every rate limiting rule's characteristics; ip.src is the "IP" every plan counts by.
            ratelimit: {
              characteristics: ["cf.colo.id", "ip.src"],
              period: limit.periodSeconds,
              requestsPerPeriod: limit.requestsPerPeriod,
              mitigationTimeout: limit.mitigationTimeoutSeconds,
            },
          },
        ],
        lifecycle: planGated,
      });
    }
    new Ruleset(this, "cache", {
      zoneId: props.zoneId,
      name: "Cache rules",
      description: "Long TTLs for static assets, no caching for the API",
      kind: "zone",
      phase: "http_request_cache_settings",
      rules: [
        {
          action: "set_cache_settings",
          expression: `(${hostIn(props.siteHosts)} and http.request.uri.path.extension in {${STATIC_EXTENSIONS.map((e) => `"${e}"`).join(" ")}})`,
          description: "Static assets: a month at the edge, a day in browsers",
          enabled: true,
          actionParameters: { cache: true, edgeTtl: { mode: "override_origin", default: 2592000 }, browserTtl: { mode: "override_origin", default: 86400 } },
        },
        {
          action: "set_cache_settings",
          expression: `(http.host eq "${props.apiHost}")`,
          description: "API: never cached",
          enabled: true,
          actionParameters: { cache: false },
        },
      ],
    });
    new Ruleset(this, "ddos", {
      zoneId: props.zoneId,
      name: "HTTP DDoS protection",
      description: `HTTP DDoS managed ruleset at sensitivity '${props.ddosSensitivity}'`,
      kind: "zone",
      phase: "ddos_l7",
      rules: [
        {
          action: "execute",
          expression: "true",
          description: "HTTP DDoS attack protection",
          enabled: true,
          actionParameters: { id: MANAGED_RULESETS.ddosL7, overrides: { sensitivityLevel: props.ddosSensitivity } },
        },
      ],
    });
  }
}

/**
 * The zone is on the declared plan or a higher one, checked before a ruleset that needs it (at
 * apply time for a zone the same run creates). Free gates nothing.
 */
function planPrecondition(plan: SecurityRulesetsProps["zonePlan"]): TerraformResourceLifecycle | undefined {
  if (!plan || plan.declared === "free") return undefined;
  const enough = CLOUDFLARE_PLANS.slice(CLOUDFLARE_PLANS.indexOf(plan.declared));
  return {
    precondition: [
      {
        condition: Fn.contains(enough, plan.actual),
        errorMessage: `The zone is on the '${plan.actual}' plan; cloudflare.plan declares '${plan.declared}', which this ruleset needs. Terraform does not change a zone's plan: subscribe the zone to '${plan.declared}' or higher in the dashboard, then apply again (docs/prerequisites-azure-gcp-cloudflare.md).`,
      },
    ],
  };
}
