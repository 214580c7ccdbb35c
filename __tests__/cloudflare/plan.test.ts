/**
 * Every edge feature within the zone's declared Cloudflare plan, over every edge stack of every
 * shipped environment: the API refuses the managed WAF rulesets on Free, rate limiting rules with
 * fields, periods, timeouts or counts beyond the plan, and an advanced certificate pack without
 * Advanced Certificate Manager. And the config errors that refuse them first, with their messages.
 */
import { environments as shippedInputs } from "../../config";
import { MANAGED_RULESETS } from "../../constructs/cloudflare/security-rulesets";
import { CLOUDFLARE_PLANS, CLOUDFLARE_PLAN_FEATURES, RATE_LIMIT_SECONDS, expressionFields } from "../../modules/config/cloudflare-plans";
import { EnvironmentConfig } from "../../modules/config/environment";
import { loadEnvironments } from "../../modules/config/load";
import { buildStacks, shippedEnvironments, synthJson } from "../support/synth";
import { configProblems } from "../support/config";

const edges = [...buildStacks(shippedEnvironments()).stacks.values()]
  .filter((stack) => stack.cloud === "cloudflare")
  .map((stack) => ({ id: stack.node.id, env: stack.env, json: synthJson(stack) }));

/** Every feature of one synthesized edge stack that the zone's plan (or add-ons) does not have. */
function outsidePlan(env: EnvironmentConfig, json: ReturnType<typeof synthJson>): string[] {
  const cf = env.cloudflare!;
  const plan = CLOUDFLARE_PLAN_FEATURES[cf.plan];
  const problems: string[] = [];
  const rulesets = Object.values(json.resource?.cloudflare_ruleset ?? {}) as any[];
  const paidManaged: string[] = [MANAGED_RULESETS.cloudflareManaged, MANAGED_RULESETS.owaspCore];
  for (const ruleset of rulesets) {
    for (const rule of ruleset.rules ?? []) {
      if (rule.action === "execute" && paidManaged.includes(rule.action_parameters?.id) && !plan.managedWafRulesets) problems.push(`managed ruleset ${rule.action_parameters.id} on ${cf.plan}`);
      const limit = rule.ratelimit;
      if (!limit) continue;
      const allowedPeriods = RATE_LIMIT_SECONDS.filter((s) => s <= plan.maxRateLimitPeriod) as number[];
      const allowedTimeouts = RATE_LIMIT_SECONDS.filter((s) => s <= plan.maxMitigationTimeout) as number[];
      if (!allowedPeriods.includes(limit.period)) problems.push(`rate limit period ${limit.period} on ${cf.plan}`);
      if (!allowedTimeouts.includes(limit.mitigation_timeout)) problems.push(`rate limit timeout ${limit.mitigation_timeout} on ${cf.plan}`);
      if (!limit.characteristics.includes("cf.colo.id")) problems.push("rate limit without cf.colo.id");
      const refused = plan.rateLimitFields ? expressionFields(rule.expression).filter((field) => !plan.rateLimitFields!.includes(field)) : [];
      if (refused.length > 0) problems.push(`rate limit on ${refused.join(", ")} on ${cf.plan}`);
    }
  }
  const rateLimitRules = rulesets.filter((r) => r.phase === "http_ratelimit").flatMap((r) => r.rules ?? []).length;
  if (rateLimitRules > plan.rateLimitRules) problems.push(`${rateLimitRules} rate limiting rules on ${cf.plan}`);
  for (const pack of Object.values(json.resource?.cloudflare_certificate_pack ?? {}) as any[]) {
    if (pack.type === "advanced" && !cf.advancedCertificateManager) problems.push("advanced certificate pack without Advanced Certificate Manager");
  }
  return problems;
}

test("the shipped environments build edge stacks to check", () => {
  expect(edges.length).toBeGreaterThan(0);
});

test.each(edges.map((edge) => [edge.id, edge] as const))("%s uses only what its zone's plan has", (_id, { env, json }) => {
  expect(outsidePlan(env, json)).toEqual([]);
});

/** What in a ruleset a Free zone lacks: the paid managed rulesets, or a rate limit beyond Free's. */
function needsPaidPlan(ruleset: any): boolean {
  const free = CLOUDFLARE_PLAN_FEATURES.free;
  const paidManaged: string[] = [MANAGED_RULESETS.cloudflareManaged, MANAGED_RULESETS.owaspCore];
  return (ruleset.rules ?? []).some(
    (rule: any) =>
      (rule.action === "execute" && paidManaged.includes(rule.action_parameters?.id)) ||
      (rule.ratelimit &&
        (rule.ratelimit.period > free.maxRateLimitPeriod ||
          rule.ratelimit.mitigation_timeout > free.maxMitigationTimeout ||
          expressionFields(rule.expression).some((field) => !free.rateLimitFields!.includes(field)))),
  );
}

// Terraform cannot set a zone's plan (read-only on cloudflare_zone in provider v5) and a new zone
// starts on Free: without a check the first apply meets the API's refusal of the paid rulesets.
test.each(edges.map((edge) => [edge.id, edge] as const))("%s checks the zone's actual plan before every ruleset the plan gates", (_id, { env, json }) => {
  const declared = env.cloudflare!.plan;
  const enough = CLOUDFLARE_PLANS.slice(CLOUDFLARE_PLANS.indexOf(declared)).map((plan) => `"${plan}"`).join(", ");
  const unchecked = Object.entries(json.resource?.cloudflare_ruleset ?? {})
    .filter(([, ruleset]) => needsPaidPlan(ruleset))
    .filter(([, ruleset]: [string, any]) => {
      const conditions: string[] = (ruleset.lifecycle?.precondition ?? []).map((p: any) => p.condition);
      return !conditions.some((c) => new RegExp(`^\\$\\{contains\\(\\[${enough}\\], cloudflare_zone\\.[^.]+\\.plan\\.legacy_id\\)\\}$`).test(c));
    })
    .map(([name]) => name);
  expect(unchecked).toEqual([]);
});

test("the production edge's plan-gated rulesets are the ones checked (the check above has something to check)", () => {
  const production = edges.find((edge) => edge.id === "production-cloudflare-edge")!;
  const gated = Object.values(production.json.resource?.cloudflare_ruleset ?? {}).filter(needsPaidPlan).map((r: any) => r.phase);
  expect(gated.sort()).toEqual(["http_ratelimit", "http_request_firewall_managed"]);
});

function withCloudflare(name: string, mutate: (cf: any) => void): unknown {
  const input = structuredClone(shippedInputs.find((env) => env.name === name)!) as any;
  mutate(input.cloudflare);
  return input;
}

const problemsOf = (input: unknown) => configProblems([input]);

describe("config refuses edge features beyond the plan", () => {
  test.each<[string, string, (cf: any) => void, string[]]>([
    ["no plan declared", "production", (cf) => delete cf.plan, ['production.cloudflare.plan: Invalid option: expected one of "free"|"pro"|"business"|"enterprise"']],
    [
      "the shipped edge on a Free zone",
      "production",
      (cf) => (cf.plan = "free"),
      [
        "production.cloudflare.waf.managedRulesets: the Cloudflare Managed and OWASP Core rulesets need a Pro plan or higher, the zone's plan is 'free' (set false to keep only the Free Managed Ruleset Cloudflare runs on every zone)",
        "production.cloudflare.api.rateLimit.enabled: the API rate limit matches on http.host, which 'free' rate limiting rules cannot use (they match on http.request.uri.path, cf.bot_management.verified_bot); declare a paid plan or set false",
        "production.cloudflare.api.rateLimit.periodSeconds: 60 s exceeds the 10 s the 'free' plan allows",
        "production.cloudflare.api.rateLimit.mitigationTimeoutSeconds: 600 s exceeds the 10 s the 'free' plan allows",
      ],
    ],
    [
      "a ten-minute period on Pro",
      "production",
      (cf) => (cf.api = { rateLimit: { periodSeconds: 600 } }),
      ["production.cloudflare.api.rateLimit.periodSeconds: 600 s exceeds the 60 s the 'pro' plan allows"],
    ],
    [
      "a two-day timeout on Enterprise",
      "production",
      (cf) => {
        cf.plan = "enterprise";
        cf.api = { rateLimit: { mitigationTimeoutSeconds: 172800 } };
      },
      [
        "production.cloudflare.api.rateLimit.mitigationTimeoutSeconds: must be one of Cloudflare's values: 10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400",
      ],
    ],
    [
      "a certificate for a subdomain environment without Advanced Certificate Manager",
      "staging",
      (cf) => (cf.advancedCertificateManager = false),
      [
        "staging.cloudflare.advancedCertificateManager: the hosts of staging.addtocloud.tech (www, api) lie more than one level below addtocloud.tech, beyond Universal SSL, so the stack adds an advanced certificate pack, which needs Advanced Certificate Manager on the zone; subscribe to it and set true",
      ],
    ],
  ])("%s", (_name, env, mutate, expected) => {
    expect(problemsOf(withCloudflare(env, mutate))).toEqual(expected);
  });

  test("a Free zone loads with the paid features turned off; its edge stack then has neither the managed WAF nor the host-matched rate limit", () => {
    const free = withCloudflare("production", (cf) => {
      cf.plan = "free";
      cf.waf = { managedRulesets: false };
      cf.api = { rateLimit: { enabled: false } };
    });
    expect(problemsOf(free)).toEqual([]);
    const env = loadEnvironments([free])[0];
    const edge = [...buildStacks([env]).stacks.values()].find((stack) => stack.cloud === "cloudflare")!;
    const json = synthJson(edge);
    expect(outsidePlan(env, json)).toEqual([]);
    const phases = Object.values(json.resource?.cloudflare_ruleset ?? {}).map((r: any) => r.phase);
    expect(phases).not.toContain("http_request_firewall_managed");
    expect(phases).not.toContain("http_ratelimit");
  });

  test("on Business the API rate limit counts over the configured period, requestsPerMinute scaled to it", () => {
    const business = withCloudflare("production", (cf) => {
      cf.plan = "business";
      cf.api = { requestsPerMinute: 600, rateLimit: { periodSeconds: 600, mitigationTimeoutSeconds: 3600 } };
    });
    const env = loadEnvironments([business])[0];
    const edge = [...buildStacks([env]).stacks.values()].find((stack) => stack.cloud === "cloudflare")!;
    const json = synthJson(edge);
    const limit = (Object.values(json.resource!.cloudflare_ruleset).find((r: any) => r.phase === "http_ratelimit") as any).rules[0].ratelimit;
    expect(limit).toMatchObject({ period: 600, requests_per_period: 6000, mitigation_timeout: 3600, characteristics: ["cf.colo.id", "ip.src"] });
    expect(outsidePlan(env, json)).toEqual([]);
  });
});

test("expressionFields finds the fields, not the strings compared with them", () => {
  expect(expressionFields('(http.host eq "cf.example.com" and starts_with(http.request.uri.path, "/api"))')).toEqual(["http.host", "http.request.uri.path"]);
});
