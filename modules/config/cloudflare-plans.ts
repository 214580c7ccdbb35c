/**
 * What each Cloudflare plan lets a zone's edge features do, as the config loader and the tests
 * check them. Sources (checked 2026-11): rate limiting rules, "Availability" table of
 * developers.cloudflare.com/waf/rate-limiting-rules/ (fields, periods, timeouts, rule counts);
 * managed rules, developers.cloudflare.com/waf/managed-rules/ (the Cloudflare Managed and OWASP
 * Core rulesets on Pro and above, the Free Managed Ruleset on every plan); advanced certificates,
 * developers.cloudflare.com/ssl/edge-certificates/advanced-certificate-manager/ (an add-on on any
 * plan). One place to update when Cloudflare changes its plans.
 */

export const CLOUDFLARE_PLANS = ["free", "pro", "business", "enterprise"] as const;
export type CloudflarePlan = (typeof CLOUDFLARE_PLANS)[number];

/** Period and mitigation-timeout values (seconds) the rate limiting API accepts at all. */
export const RATE_LIMIT_SECONDS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400] as const;

/** The edge features of one plan. */
export interface CloudflarePlanFeatures {
  /** The Cloudflare Managed and OWASP Core WAF rulesets. */
  readonly managedWafRulesets: boolean;
  /** Fields a rate limiting rule's expression may use; `undefined`: every request field. */
  readonly rateLimitFields?: readonly string[];
  /** Longest counting period, seconds. */
  readonly maxRateLimitPeriod: number;
  /** Longest mitigation timeout, seconds. */
  readonly maxMitigationTimeout: number;
  /** Rate limiting rules per zone. */
  readonly rateLimitRules: number;
}

const PRO_FIELDS = ["http.host", "http.request.uri", "http.request.uri.path", "http.request.full_uri", "http.request.uri.query", "cf.bot_management.verified_bot"];

export const CLOUDFLARE_PLAN_FEATURES: Readonly<Record<CloudflarePlan, CloudflarePlanFeatures>> = {
  free: { managedWafRulesets: false, rateLimitFields: ["http.request.uri.path", "cf.bot_management.verified_bot"], maxRateLimitPeriod: 10, maxMitigationTimeout: 10, rateLimitRules: 1 },
  pro: { managedWafRulesets: true, rateLimitFields: PRO_FIELDS, maxRateLimitPeriod: 60, maxMitigationTimeout: 3600, rateLimitRules: 2 },
  business: {
    managedWafRulesets: true,
    rateLimitFields: [...PRO_FIELDS, "http.request.method", "ip.src", "http.user_agent"],
    maxRateLimitPeriod: 600,
    maxMitigationTimeout: 86400,
    rateLimitRules: 5,
  },
  enterprise: { managedWafRulesets: true, maxRateLimitPeriod: 65535, maxMitigationTimeout: 86400, rateLimitRules: 100 },
};

/** The fields the API rate limit's expression matches on (the API host). */
export const API_RATE_LIMIT_FIELDS = ["http.host"] as const;

/** The fields a rules-language expression uses, e.g. `http.host` in `(http.host eq "api.x")`. */
export function expressionFields(expression: string): string[] {
  return [...new Set(expression.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/\b(?:http|ip|cf|ssl|raw)\.[a-z0-9_.]*[a-z0-9_]/g) ?? [])];
}
