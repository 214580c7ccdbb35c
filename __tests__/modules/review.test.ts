/**
 * Review mode (ADDTOCLOUD_REVIEW=1): every stack of every environment plans without its upstream
 * stacks' state, and the placeholders it reads are shaped like what each consuming argument needs.
 * - no stack reads a `terraform_remote_state`; the placeholders are locals `<cloud>_<layer>__<field>`;
 * - every argument that takes a contract field directly is classified by kind (Azure resource id,
 *   GCP network self link, AWS id, ARN, UUID, URL, name...), and the placeholder matches that kind;
 *   a consumer of an unclassified kind fails the test until its kind is added here;
 * - outside review mode, the remote states' `defaults` are the same placeholders.
 */
import * as fs from "node:fs";
import { runApp } from "../support/app-output";

const review = runApp({ env: { ADDTOCLOUD_REVIEW: "1" } });
const normal = runApp();
const load = (output: typeof review) => new Map([...output.stacks.values()].map((stack) => [stack.id, JSON.parse(fs.readFileSync(stack.file, "utf8"))]));
const reviewJson = load(review);
const normalJson = load(normal);

const GCP_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KINDS: Record<string, RegExp> = {
  "azure resource id": /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]+\/providers\/[A-Za-z]+\.[A-Za-z]+\/[A-Za-z]+\/[^/]+(\/[A-Za-z]+\/[^/]+)*$/,
  "azure resource group name": /^[-\w.()]{1,90}$/,
  "guid": GUID,
  "ipv4 address": /^(\d{1,3}\.){3}\d{1,3}$/,
  "https url": /^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/,
  "gcp network self link": /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/global\/networks\/[a-z]([-a-z0-9]*[a-z0-9])?$/,
  "gcp subnetwork self link": /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/regions\/[a-z0-9-]+\/subnetworks\/[a-z]([-a-z0-9]*[a-z0-9])?$/,
  "gcp name": GCP_NAME,
  "aws vpc id": /^vpc-[0-9a-f]{8,17}$/,
  "aws subnet id": /^subnet-[0-9a-f]{8,17}$/,
  "aws security group id": /^sg-[0-9a-f]{8,17}$/,
  "aws route table id": /^rtb-[0-9a-f]{8,17}$/,
  "aws transit gateway id": /^tgw-[0-9a-f]{8,17}$/,
  "aws transit gateway route table id": /^tgw-rtb-[0-9a-f]{8,17}$/,
  "aws resolver endpoint id": /^rslvr-(in|out)-[0-9a-f]{8,17}$/,
  "gcp vpn gateway self link": /^projects\/[a-z][-a-z0-9]{4,28}[a-z0-9]\/regions\/[a-z0-9-]+\/vpnGateways\/[a-z]([-a-z0-9]*[a-z0-9])?$/,
  "arn": /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/,
  "aws subnet group name": /^[a-z0-9][a-z0-9-]*$/,
  "uuid": GUID,
  "host name or ip": /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  "kubernetes cluster name": /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
  "s3 bucket name": /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
};

/** The kind an argument needs, by where it is: `<resource type or provider.<name>>:<argument path>`. */
function kindOf({ site, local }: Use): string | undefined {
  const [owner, path] = site.split(":");
  const argument = path.split(".").pop()!;
  if (owner.startsWith("azurerm_")) {
    if (argument === "tenant_id" || argument.endsWith("object_id") || argument === "principal_id") return "guid";
    if (argument === "resource_group_name") return "azure resource group name";
    if (argument === "ip_rules") return "ipv4 address";
    if (argument === "issuer") return "https url";
    if (argument.endsWith("_id") || argument.endsWith("_ids") || argument === "scope") return "azure resource id";
  }
  if (owner.startsWith("google_")) {
    // The peering routes config names its network (google 6.50.0: "The name of the primary network").
    if (owner === "google_compute_network_peering_routes_config" && argument === "network") return "gcp name";
    if (["network", "authorized_network", "private_network", "network_url"].includes(argument)) return "gcp network self link";
    if (argument === "subnetwork") return "gcp subnetwork self link";
    // Managed Kafka wants `projects/PROJECT_ID/regions/REGION/subnetworks/SUBNET`.
    if (owner === "google_managed_kafka_cluster" && argument === "subnet") return "gcp subnetwork self link";
    if (argument === "vpn_gateway") return "gcp vpn gateway self link";
    // A Cloud Router by name (router interface and peer; the tunnel takes a name or a URL).
    if (argument === "router") return "gcp name";
    if (argument.endsWith("_range_name")) return "gcp name";
  }
  if (owner === "mongodbatlas_network_peering" && argument === "network_name") return "gcp name";
  // The GCP copies of the AWS primary (docs/data-across-clouds.md).
  if (owner === "google_database_migration_service_connection_profile" && path === "postgresql.host") return "host name or ip";
  if (owner === "google_database_migration_service_connection_profile" && path === "postgresql.port") return "any";
  if (owner === "google_database_migration_service_migration_job" && path === "vpc_peering_connectivity.vpc") return "gcp network self link";
  if (owner === "google_storage_transfer_job" && path === "transfer_spec.aws_s3_data_source.bucket_name") return "s3 bucket name";
  if (owner === "aws_secretsmanager_secret_version" && argument === "secret_id") return "arn";
  // A copy's write-only version follows the primary's (a number, 0 in review mode: the write happens on the real apply).
  if (argument.endsWith("_wo_version")) return "any";
  // The AKS issuer the objects copy role trusts (IAM takes an https URL).
  if (owner === "aws_iam_openid_connect_provider" && argument === "url") return "https url";
  if (owner.startsWith("aws_")) {
    if (argument === "vpc_id") return "aws vpc id";
    if (argument === "subnet_ids" || argument === "client_subnets") return "aws subnet id";
    if (argument === "route_table_id") return "aws route table id";
    if (argument === "transit_gateway_id") return "aws transit gateway id";
    if (argument === "transit_gateway_route_table_id") return "aws transit gateway route table id";
    if (argument === "resolver_endpoint_id") return "aws resolver endpoint id";
    if (argument === "security_groups" || argument.endsWith("security_group_id") || argument.endsWith("security_group_ids")) return "aws security group id";
    if (argument === "identifiers" || argument.endsWith("_arn")) return "arn";
    if (argument.endsWith("subnet_group_name")) return "aws subnet group name";
  }
  if (owner.startsWith("digitalocean_")) {
    if (argument === "vpc_uuid" || argument === "private_network_uuid") return "uuid";
    if (owner === "digitalocean_database_firewall" && argument === "value") return "uuid";
  }
  if (owner.startsWith("provider.")) {
    if (argument === "host") return "https url";
    // The exec plugin's arguments name the cluster: DOKS by id, EKS by name.
    if (argument === "args") return local.endsWith("__cluster_id") ? "uuid" : "kubernetes cluster name";
  }
  if (owner === "cloudflare_load_balancer_pool" && argument === "address") return "host name or ip";
  if (owner.startsWith("output.")) return "any";
  return undefined;
}

interface Use {
  readonly stack: string;
  readonly site: string;
  readonly local: string;
}


/** Arguments whose whole value (or list element) is one placeholder local. */
function uses(stack: string, json: any): Use[] {
  const found: Use[] = [];
  const walk = (value: unknown, owner: string, path: string) => {
    if (typeof value === "string") {
      const match = /^\$\{local\.([a-z]+_[a-z]+__[a-z_]+)\}$/.exec(value);
      if (match) found.push({ stack, site: `${owner}:${path}`, local: match[1] });
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, owner, path));
    else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) if (key !== "//") walk(item, owner, path ? `${path}.${key}` : key);
  };
  for (const kind of ["resource", "data"]) for (const [type, byName] of Object.entries<Record<string, unknown>>(json[kind] ?? {})) for (const body of Object.values(byName)) walk(body, type, "");
  for (const [name, configs] of Object.entries<unknown>(json.provider ?? {})) walk(configs, `provider.${name}`, "");
  for (const [name, output] of Object.entries<unknown>(json.output ?? {})) walk(output, `output.${name}`, "");
  return found;
}

const allUses = [...reviewJson].flatMap(([id, json]) => uses(id, json));

describe("review mode", () => {
  test("reads upstream contracts somewhere, from placeholder locals", () => {
    expect(allUses.length).toBeGreaterThan(0);
  });

  test.each([...reviewJson.keys()])("%s has no terraform_remote_state", (id) => {
    expect(reviewJson.get(id)!.data?.terraform_remote_state).toBeUndefined();
  });

  test("every argument taking a contract field has a known kind, and the placeholder has its shape", () => {
    const problems: string[] = [];
    for (const use of allUses) {
      const kind = kindOf(use);
      const value = reviewJson.get(use.stack)!.locals[use.local];
      if (!kind) problems.push(`${use.stack}: ${use.site} takes ${use.local}, an argument kind this test does not know`);
      else if (kind !== "any") {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (typeof item !== "string" || !KINDS[kind].test(item)) problems.push(`${use.stack}: ${use.site} needs a ${kind}, ${use.local} is ${JSON.stringify(item)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("outside review mode the remote states default to the same placeholders", () => {
    const differing: string[] = [];
    for (const [id, json] of normalJson) {
      const locals = reviewJson.get(id)!.locals ?? {};
      for (const [name, state] of Object.entries<any>(json.data?.terraform_remote_state ?? {})) {
        for (const [local, value] of Object.entries(locals)) {
          const [prefix, field] = local.split("__");
          if (prefix === name && JSON.stringify(state.defaults[field]) !== JSON.stringify(value)) differing.push(`${id}: ${name}.${field}`);
        }
      }
    }
    expect(differing).toEqual([]);
  });
});
