import { environments } from "../../config";
import { EnvironmentInput } from "../../modules/config/environment";
import { loadEnvironments, selectEnvironments } from "../../modules/config/load";
import { configProblems } from "../support/config";

function production(mutate: (input: any) => void): EnvironmentInput {
  const input = structuredClone(environments.find((env) => env.name === "production")!) as any;
  mutate(input);
  return input;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const problemsOf = (inputs: unknown[]) => configProblems(inputs);

describe("shipped config", () => {
  test("staging and production load without problems", () => {
    const envs = loadEnvironments(environments);
    expect(envs.map((env) => env.name)).toEqual(["staging", "production"]);
  });

  test("production enables the four clouds of the architecture in their regions, behind Cloudflare", () => {
    const prod = loadEnvironments(environments).find((env) => env.name === "production")!;
    expect(prod.clouds.aws?.region).toBe("us-east-1");
    expect(prod.clouds.gcp?.region).toBe("us-central1");
    expect(prod.clouds.azure?.location).toBe("eastus");
    expect(prod.clouds.digitalocean?.region).toBe("nyc3");
    expect(prod.domain).toBe("addtocloud.tech");
    expect(prod.cloudflare).toBeDefined();
    expect(prod.state.type).toBe("local");
  });
});

describe("bad configs stop with every problem and its field path", () => {
  const cases: [string, (input: any) => void, string][] = [
    ["an environment name that cannot go into resource names", (c) => { c.name = "Prod_1"; },
      "Prod_1.name: must be 3-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-'"],
    ["an unknown stage", (c) => { c.stage = "prod"; },
      'production.stage: Invalid option: expected one of "production"|"staging"|"development"'],
    ["an invalid domain", (c) => { c.domain = "addtocloud"; },
      "production.domain: must be a lowercase DNS domain such as addtocloud.tech"],
    ["a CIDR that does not parse", (c) => { c.clouds.aws.network.cidr = "10.10.0.0/33"; },
      "production.clouds.aws.network.cidr: must be an IPv4 CIDR block written with its network address, such as 10.0.0.0/16"],
    ["a CIDR with host bits set", (c) => { c.clouds.aws.network.cidr = "10.10.1.0/16"; },
      "production.clouds.aws.network.cidr: must be an IPv4 CIDR block written with its network address, such as 10.0.0.0/16"],
    ["a VPC too small for three tiers over three zones", (c) => { c.clouds.aws.network.cidr = "10.10.0.0/24"; },
      "production.clouds.aws.network.cidr: must have a prefix length between /8 and /20"],
    ["overlapping CIDRs across clouds", (c) => { c.clouds.azure.network.cidr = "10.10.128.0/17"; },
      "production.clouds.azure.network.cidr: 10.10.128.0/17 overlaps clouds.aws.network.cidr (10.10.0.0/16); every network of one environment needs its own range"],
    ["a GKE pod range inside the AWS VPC", (c) => { c.clouds.gcp.network.podsCidr = "10.10.0.0/16"; },
      "production.clouds.gcp.network.podsCidr: 10.10.0.0/16 overlaps clouds.aws.network.cidr (10.10.0.0/16); every network of one environment needs its own range"],
    ["autoscaling min above desired", (c) => { c.clouds.aws.cluster.nodeGroups[0].scaling = { min: 4, desired: 3, max: 10 }; },
      "production.clouds.aws.cluster.nodeGroups[0].scaling.min: min (4) must not exceed desired (3)"],
    ["autoscaling desired above max", (c) => { c.clouds.azure.cluster.userPool.scaling = { min: 1, desired: 20, max: 12 }; },
      "production.clouds.azure.cluster.userPool.scaling.desired: desired (20) must not exceed max (12)"],
    ["an unknown AWS region", (c) => { c.clouds.aws.region = "us-east-9"; },
      "production.clouds.aws.region: Invalid option"],
    ["an unknown GCP region", (c) => { c.clouds.gcp.region = "us-central"; },
      "production.clouds.gcp.region: Invalid option"],
    ["a control plane opened to the whole internet", (c) => { c.clouds.aws.cluster.publicAccessCidrs = ["0.0.0.0/0"]; },
      "production.clouds.aws.cluster.publicAccessCidrs[0]: must not open the endpoint to the whole internet (0.0.0.0/0); list the networks that need access"],
    ["a malformed AWS account id", (c) => { c.clouds.aws.accountId = "1234"; },
      "production.clouds.aws.accountId: must be a 12-digit AWS account id"],
    ["a misspelled field", (c) => { c.clouds.aws.network.natGateway = "single"; },
      'production.clouds.aws.network: Unrecognized key: "natGateway"'],
    ["an unknown instance type shape", (c) => { c.clouds.aws.cluster.nodeGroups[0].instanceTypes = ["large"]; },
      "production.clouds.aws.cluster.nodeGroups[0].instanceTypes[0]: must be an EC2 instance type such as m5.large"],
    ["a missing required field", (c) => { delete c.owner; },
      "production.owner: Invalid input: expected string, received undefined"],
    ["a GKE control-plane range that is not a /28", (c) => { c.clouds.gcp.cluster.masterCidr = "10.22.32.0/27"; },
      "production.clouds.gcp.cluster.masterCidr: must be a /28 block"],
    ["native state falling back to a cloud the environment lacks", (c) => { c.state = { type: "native", fallback: "digitalocean" }; delete c.clouds.digitalocean; },
      "production.state.fallback: native state falls back to 'digitalocean', which this environment does not enable"],
    ["an S3 state backend without a bucket", (c) => { c.state = { type: "s3", region: "us-east-1" }; },
      "production.state.bucket: Invalid input: expected string, received undefined"],
    ["an Azure subscription id that is not a GUID", (c) => { c.clouds.azure.subscriptionId = "sub-1"; },
      "production.clouds.azure.subscriptionId: must be a subscription id (UUID)"],
    ["availability zones of another region", (c) => { c.clouds.aws.network.availabilityZoneIds = ["use1-az1", "use1-az2", "usw2-az3"]; },
      "production.clouds.aws.network.availabilityZoneIds: usw2-az3 not in region us-east-1 (its zone ids start with use1-)"],
    ["fewer availability zones than azCount", (c) => { c.clouds.aws.network.availabilityZoneIds = ["use1-az1", "use1-az2"]; },
      "production.clouds.aws.network.availabilityZoneIds: lists 2 zones but azCount is 3"],
    ["an availability zone listed twice", (c) => { c.clouds.aws.network.availabilityZoneIds = ["use1-az1", "use1-az2", "use1-az1"]; },
      "production.clouds.aws.network.availabilityZoneIds: lists a zone twice"],
    ["an Atlas organisation id of the wrong shape", (c) => { c.clouds.gcp.data.mongodbAtlas.orgId = "my-org"; },
      "production.clouds.gcp.data.mongodbAtlas.orgId: must be a 24-character hexadecimal Atlas organisation id"],
    ["an Atlas range inside the GKE pod range", (c) => { c.clouds.gcp.data.mongodbAtlas.cidr = "10.21.8.0/21"; },
      "production.clouds.gcp.data.mongodbAtlas.cidr: 10.21.8.0/21 overlaps clouds.gcp.network.podsCidr (10.21.0.0/16); every network of one environment needs its own range"],
    ["an unknown DigitalOcean region", (c) => { c.clouds.digitalocean.region = "nyc9"; },
      "production.clouds.digitalocean.region: Invalid option"],
    ["a DOKS API opened to the whole internet", (c) => { c.clouds.digitalocean.cluster.apiAllowlist = ["0.0.0.0/0"]; },
      "production.clouds.digitalocean.cluster.apiAllowlist[0]: must not open the endpoint to the whole internet (0.0.0.0/0); list the networks that need access"],
    ["a two-node MongoDB replica set", (c) => { c.clouds.digitalocean.data = { mongodb: { nodeCount: 2 } }; },
      "production.clouds.digitalocean.data.mongodb.nodeCount: a MongoDB replica set has 1 or 3 nodes, not 2"],
    ["a maintenance start time that is not HH:MM", (c) => { c.clouds.digitalocean.cluster.maintenance = { startTime: "4am" }; },
      "production.clouds.digitalocean.cluster.maintenance.startTime: must be a time HH:MM (UTC)"],
    ["a database size that is not a size slug", (c) => { c.clouds.digitalocean.data = { postgres: { size: "large" } }; },
      "production.clouds.digitalocean.data.postgres.size: must be a DigitalOcean size slug such as s-4vcpu-8gb"],
    ["a DigitalOcean VPC overlapping the GCP network", (c) => { c.clouds.digitalocean.network.cidr = "10.20.0.0/20"; },
      "production.clouds.digitalocean.network.cidr: 10.20.0.0/20 overlaps clouds.gcp.network.cidr"],
    ["an AKS pod range overlapping the DigitalOcean VPC", (c) => { c.clouds.azure.network.podCidr = "10.40.0.0/16"; },
      "production.clouds.digitalocean.network.cidr: 10.40.0.0/16 overlaps clouds.azure.network.podCidr (10.40.0.0/16)"],
    ["a Cosmos DB second region equal to the first", (c) => { c.clouds.azure.data = { cosmosMongo: { secondaryLocation: "eastus" } }; },
      "production.clouds.azure.data.cosmosMongo.secondaryLocation: must differ from the primary location eastus"],
    ["a Flexible Server SKU of the wrong shape", (c) => { c.clouds.azure.data = { postgres: { skuName: "Standard_D2s_v3" } }; },
      "production.clouds.azure.data.postgres.skuName: must be a Flexible Server SKU such as GP_Standard_D2ds_v5"],
    ["a DOKS pool that may scale to zero", (c) => { c.clouds.digitalocean.cluster.scaling = { min: 0, desired: 1, max: 3 }; },
      "production.clouds.digitalocean.cluster.scaling.min: must be at least 1: this pool runs the cluster's system pods"],
    ["an AKS system pool that may scale to zero", (c) => { c.clouds.azure.cluster.systemPool.scaling = { min: 0, desired: 0, max: 3 }; },
      "production.clouds.azure.cluster.systemPool.scaling.min: must be at least 1: this pool runs the cluster's system pods"],
    ["a Cloudflare parent zone the domain is not inside", (c) => { c.cloudflare.parentZone = "example.com"; },
      "production.cloudflare.parentZone: addtocloud.tech is not inside example.com"],
    ["a failover order naming a cloud the environment lacks", (c) => { delete c.clouds.azure; c.cloudflare.api = { failoverOrder: ["aws", "azure"] }; },
      "production.cloudflare.api.failoverOrder: 'azure' is not enabled in this environment"],
    ["a failover order naming a cloud twice", (c) => { c.cloudflare.api = { failoverOrder: ["aws", "gcp", "aws"] }; },
      "production.cloudflare.api.failoverOrder: lists 'aws' twice"],
    ["a Cloudflare account id of the wrong shape", (c) => { c.cloudflare.accountId = "acct"; },
      "production.cloudflare.accountId: must be a 32-character hexadecimal Cloudflare account id"],
    ["an unknown DDoS sensitivity", (c) => { c.cloudflare.ddosSensitivity = "high"; },
      'production.cloudflare.ddosSensitivity: Invalid option'],
    ["Vault on a cloud without cert-manager", (c) => { c.platform.cloudAddons = { gcp: { "cert-manager": false } }; },
      "production.platform.cloudAddons.gcp: 'vault' is on but 'cert-manager' is off; Vault's TLS certificate is issued by cert-manager"],
    ["an Argo CD SSO issuer that is not https", (c) => { c.platform.argocd.sso.issuer = "http://login.example.com"; },
      "production.platform.argocd.sso.issuer: must be an https:// OIDC issuer URL"],
  ];

  test.each(cases)("%s", (_name, mutate, expected) => {
    const problems = problemsOf([production(mutate)]);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${escape(expected)}`))]));
  });

  test("every problem is listed at once, not just the first", () => {
    const problems = problemsOf([
      production((c) => {
        c.domain = "bad";
        c.clouds.aws.accountId = "x";
        c.clouds.digitalocean.network.cidr = "10.10.0.0/16";
      }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        "production.domain: must be a lowercase DNS domain such as addtocloud.tech",
        "production.clouds.aws.accountId: must be a 12-digit AWS account id",
      ]),
    );
  });

  test("cross-cloud overlap is reported even when the rest is valid", () => {
    const problems = problemsOf([production((c) => { c.clouds.digitalocean.network.cidr = "10.30.0.0/16"; })]);
    expect(problems).toEqual([
      "production.clouds.digitalocean.network.cidr: 10.30.0.0/16 overlaps clouds.azure.network.cidr (10.30.0.0/16); every network of one environment needs its own range",
    ]);
  });

  test("two environments with one name are refused", () => {
    const prod = production(() => undefined);
    expect(problemsOf([prod, structuredClone(prod)])).toEqual(["production.name: environment name 'production' is used twice"]);
  });

  test("the error message lists each problem on its own line", () => {
    expect(() => loadEnvironments([production((c) => { c.domain = "x"; c.owner = "Platform Team"; })])).toThrow(
      /Invalid configuration \(2 problems\):\n {2}- production\.owner: .*\n {2}- production\.domain: .*/,
    );
  });
});

describe("environment selection", () => {
  const envs = loadEnvironments(environments);
  test("no selection keeps every environment", () => {
    expect(selectEnvironments(envs, undefined).map((e) => e.name)).toEqual(["staging", "production"]);
  });
  test("a comma-separated selection keeps just those", () => {
    expect(selectEnvironments(envs, "production").map((e) => e.name)).toEqual(["production"]);
  });
  test("an unknown name is refused with the known ones", () => {
    expect(() => selectEnvironments(envs, "prod")).toThrow("ADDTOCLOUD_ENVIRONMENTS: unknown environment 'prod'; known: staging, production");
  });
});
