/** The Cloudflare edge: zone TLS settings, Pages, one pool per cluster over remote state, rulesets. */
import { MANAGED_RULESETS } from "../../constructs/cloudflare/security-rulesets";
import { loadEnvironments } from "../../modules/config/load";
import { environments as shippedInputs } from "../../config";
import { buildStacks, onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson, synthString } from "../support/synth";

const production = shippedEnvironment("production");
const staging = shippedEnvironment("staging");
const prod = synthJson(stackOf([production], "production-cloudflare-edge"));
const stage = synthJson(stackOf([staging], "staging-cloudflare-edge"));
const settings = (json: typeof prod) =>
  Object.fromEntries(Object.values(resourcesOf(json, "cloudflare_zone_setting")).map((s: any) => [s.setting_id, s.value]));
const rulesets = (json: typeof prod) => Object.values(resourcesOf(json, "cloudflare_ruleset")) as any[];
const ruleset = (json: typeof prod, phase: string) => {
  const found = rulesets(json).filter((r) => r.phase === phase);
  expect(found).toHaveLength(1);
  return found[0];
};

describe("the zone", () => {
  test("production creates the zone for its domain and protects it from destroy", () => {
    const zone = onlyResource(prod, "cloudflare_zone");
    expect(zone).toMatchObject({ name: "addtocloud.tech", type: "full", account: { id: production.cloudflare!.accountId } });
    expect(zone.lifecycle).toEqual({ prevent_destroy: true });
  });

  test("TLS is full (strict), TLS 1.2 minimum, TLS 1.3 on, HTTPS always, HSTS with subdomains, HTTP/3 and Brotli", () => {
    expect(settings(prod)).toEqual({
      ssl: "strict",
      min_tls_version: "1.2",
      tls_1_3: "on",
      always_use_https: "on",
      automatic_https_rewrites: "on",
      http3: "on",
      brotli: "on",
      security_header: { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, preload: true, nosniff: true } },
    });
  });

  test("authenticated origin pulls are on, so origins can refuse anything but Cloudflare", () => {
    expect(onlyResource(prod, "cloudflare_authenticated_origin_pulls_settings").enabled).toBe(true);
  });

  test("staging lives in production's zone: it reads the zone and leaves its settings and rulesets alone", () => {
    expect(resourcesOf(stage, "cloudflare_zone")).toEqual({});
    expect(resourcesOf(stage, "cloudflare_zone_setting")).toEqual({});
    expect(resourcesOf(stage, "cloudflare_ruleset")).toEqual({});
    expect(Object.values(stage.data!.cloudflare_zone)[0]).toMatchObject({ filter: { name: "addtocloud.tech", account: { id: staging.cloudflare!.accountId } } });
    const record = Object.values(resourcesOf(stage, "cloudflare_dns_record"))[0];
    expect(record.zone_id).toBe("${data.cloudflare_zone.parent-zone.zone_id}");
  });

  test("staging gets an advanced certificate for *.staging.<zone>, which Universal SSL does not cover", () => {
    expect(onlyResource(stage, "cloudflare_certificate_pack")).toMatchObject({
      type: "advanced",
      hosts: ["addtocloud.tech", "staging.addtocloud.tech", "*.staging.addtocloud.tech"],
      validation_method: "txt",
    });
    expect(resourcesOf(prod, "cloudflare_certificate_pack")).toEqual({});
  });
});

describe("the Pages front end", () => {
  test("the project builds the static export from the configured branch", () => {
    expect(onlyResource(prod, "cloudflare_pages_project")).toMatchObject({
      name: "addtocloud-production",
      production_branch: "main",
      build_config: { build_command: "npm ci && npx next build", destination_dir: "out" },
    });
    expect(onlyResource(stage, "cloudflare_pages_project").production_branch).toBe("staging");
  });

  test("apex and www are custom domains with proxied CNAMEs to the project", () => {
    const domains = Object.values(resourcesOf(prod, "cloudflare_pages_domain")).map((d: any) => d.name);
    expect(domains.sort()).toEqual(["addtocloud.tech", "www.addtocloud.tech"]);
    const records = Object.values(resourcesOf(prod, "cloudflare_dns_record")) as any[];
    expect(records.map((r) => r.name).sort()).toEqual(["addtocloud.tech", "www.addtocloud.tech"]);
    for (const r of records) {
      expect(r).toMatchObject({ type: "CNAME", proxied: true });
      expect(r.content).toMatch(/^\$\{cloudflare_pages_project\.\w+\.subdomain\}$/);
    }
  });
});

describe("the API load balancer", () => {
  const pools = (json: typeof prod) => Object.values(resourcesOf(json, "cloudflare_load_balancer_pool")) as any[];

  test("one pool per cluster, whose origin is that cluster's ingress address read over remote state", () => {
    const built = buildStacks([production]).stacks;
    const clusters = [...built.values()].filter((s) => s.layer === "platform").map((s) => s.cloud);
    expect(pools(prod).map((p) => p.name).sort()).toEqual(clusters.map((cloud) => `addtocloud-production-api-${cloud}`).sort());
    for (const pool of pools(prod)) {
      const cloud = pool.name.split("-").pop();
      expect(pool.origins).toEqual([
        expect.objectContaining({ name: cloud, address: `\${data.terraform_remote_state.${cloud}_platform.outputs.ingress_address}`, enabled: true }),
      ]);
      expect(pool.monitor).toMatch(/^\$\{cloudflare_load_balancer_monitor\.\w+\.id\}$/);
      expect(prod.data!.terraform_remote_state[`${cloud}_platform`]).toMatchObject({ defaults: { ingress_address: "pending.invalid" } });
    }
  });

  test("the edge stack depends on every platform stack, so deploy orders them", () => {
    const { stacks } = buildStacks([production]);
    const edge = stacks.get("production-cloudflare-edge")!;
    for (const stack of stacks.values()) if (stack.layer === "platform") expect(edge.dependencies).toContain(stack);
  });

  test("an HTTPS monitor probes the health path with the API host name", () => {
    expect(onlyResource(prod, "cloudflare_load_balancer_monitor")).toMatchObject({
      type: "https",
      path: "/healthz",
      port: 443,
      expected_codes: "200",
      allow_insecure: false,
      header: { Host: ["api.addtocloud.tech"] },
    });
  });

  test("a proxied load balancer on api.<domain> fails over in the configured order (AWS first by default)", () => {
    const lb = onlyResource(prod, "cloudflare_load_balancer");
    expect(lb).toMatchObject({ name: "api.addtocloud.tech", proxied: true, steering_policy: "off" });
    const key = (cloud: string) => Object.keys(resourcesOf(prod, "cloudflare_load_balancer_pool")).find((k) => k.startsWith(`api_${cloud}-pool_`));
    // Production's clusters in the default order: AWS, GCP, Azure, DigitalOcean.
    const ids = ["aws", "gcp", "azure", "digitalocean"].map((cloud) => `\${cloudflare_load_balancer_pool.${key(cloud)}.id}`);
    expect(lb.default_pools).toEqual(ids);
    expect(lb.fallback_pool).toBe(ids[ids.length - 1]);
  });

  test("failover order and geo steering come from config", () => {
    const env = shippedEnvironment("production", (input) => {
      input.cloudflare!.api = { failoverOrder: ["gcp", "aws"], geoSteering: true };
    });
    const lb = onlyResource(synthJson(stackOf([env], "production-cloudflare-edge")), "cloudflare_load_balancer");
    expect(lb.default_pools[0]).toContain("gcp-pool");
    expect(lb.steering_policy).toBe("geo");
    expect(lb.region_pools.ENAM[0]).toContain("aws-pool");
    expect(lb.region_pools.WEU[0]).toContain("gcp-pool");
  });
});

describe("security rulesets", () => {
  test("the managed WAF phase runs the Cloudflare Managed and OWASP Core rulesets on every request", () => {
    const waf = ruleset(prod, "http_request_firewall_managed");
    expect(waf.kind).toBe("zone");
    expect(waf.rules.map((r: any) => [r.action, r.action_parameters.id, r.expression])).toEqual([
      ["execute", MANAGED_RULESETS.cloudflareManaged, "true"],
      ["execute", MANAGED_RULESETS.owaspCore, "true"],
    ]);
  });

  test("the API is rate limited per client IP", () => {
    const [rule] = ruleset(prod, "http_ratelimit").rules;
    expect(rule).toMatchObject({ action: "block", expression: '(http.host eq "api.addtocloud.tech")' });
    expect(rule.ratelimit).toMatchObject({ characteristics: ["cf.colo.id", "ip.src"], period: 60, requests_per_period: 600 });
  });

  test("static assets are cached long, the API never", () => {
    const [assets, api] = ruleset(prod, "http_request_cache_settings").rules;
    expect(assets.expression).toContain('http.host in {"addtocloud.tech" "www.addtocloud.tech"}');
    expect(assets.action_parameters).toMatchObject({ cache: true, edge_ttl: { mode: "override_origin", default: 2592000 } });
    expect(api).toMatchObject({ expression: '(http.host eq "api.addtocloud.tech")', action_parameters: { cache: false } });
  });

  test("the HTTP DDoS managed ruleset runs at the configured sensitivity", () => {
    const rule = (json: typeof prod) => ruleset(json, "ddos_l7").rules[0];
    expect(rule(prod).action_parameters).toEqual({ id: MANAGED_RULESETS.ddosL7, overrides: { sensitivity_level: "default" } });
    const env = shippedEnvironment("production", (input) => {
      input.cloudflare!.ddosSensitivity = "low";
    });
    expect(rule(synthJson(stackOf([env], "production-cloudflare-edge"))).action_parameters.overrides.sensitivity_level).toBe("low");
  });
});

describe("the edge contract", () => {
  test("publishes zone id, Pages URL, API host name and pool ids, each described", () => {
    expect(Object.keys(prod.output!).sort()).toEqual(["api_hostname", "pages_url", "pool_ids", "zone_id"]);
    for (const output of Object.values(prod.output!)) {
      expect(output.description).toBeTruthy();
      expect(output.sensitive).toBe(false);
    }
    expect(prod.output!.api_hostname.value).toBe("api.addtocloud.tech");
    expect(prod.output!.pages_url.value).toMatch(/^https:\/\/\$\{cloudflare_pages_project\.\w+\.subdomain\}$/);
  });

  test("no API token in the synthesized stack: the provider reads CLOUDFLARE_API_TOKEN", () => {
    expect(prod.provider!.cloudflare).toEqual([{}]);
    expect(synthString(stackOf([production], "production-cloudflare-edge"))).not.toMatch(/api_token|api_key/);
  });

  test("without platform stacks there is no load balancer, and no API host name is published", () => {
    const env = shippedEnvironment("staging", (input) => {
      input.platform = { enabled: false };
    });
    const json = synthJson(stackOf([env], "staging-cloudflare-edge"));
    expect(resourcesOf(json, "cloudflare_load_balancer")).toEqual({});
    expect(json.output!.api_hostname.value).toBe("");
    expect(json.output!.pool_ids.value).toEqual([]);
  });

  test("a cluster whose cloud the failover order leaves out gets no pool", () => {
    const env = shippedEnvironment("production", (input) => {
      input.cloudflare!.api = { failoverOrder: ["gcp", "aws"] };
    });
    const pools = Object.values(resourcesOf(synthJson(stackOf([env], "production-cloudflare-edge")), "cloudflare_load_balancer_pool")).map((p: any) => p.name);
    expect(pools.sort()).toEqual(["addtocloud-production-api-aws", "addtocloud-production-api-gcp"]);
  });

  test("no edge stack without a cloudflare block", () => {
    const input = structuredClone(shippedInputs.find((env) => env.name === "staging")!);
    delete input.cloudflare;
    const ids = [...buildStacks(loadEnvironments([input])).stacks.keys()];
    expect(ids.some((id) => id.includes("cloudflare"))).toBe(false);
  });
});
