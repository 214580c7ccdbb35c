/**
 * Review-time placeholders shaped like the real values, so a plan that reads them passes the
 * providers' plan-time checks: an Azure id parses as a resource id, a GCP network is a
 * `projects/<p>/global/networks/<n>` self link, an AWS id has its prefix and hex digits, a
 * DigitalOcean id is a UUID. They name nothing that exists (all-zero ids, the
 * `review-placeholder` name), so a plan that shows one says plainly that the upstream is missing.
 */

/** The name used wherever a placeholder needs a name. */
export const PLACEHOLDER_NAME = "review-placeholder";

const AZURE_SCOPE = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${PLACEHOLDER_NAME}`;

export const Placeholder = {
  /** An AWS resource id such as `vpc-00000000000000000` (`tgw-rtb` a Transit Gateway route table, `rslvr-out` a Resolver outbound endpoint). */
  awsId: (prefix: "vpc" | "subnet" | "sg" | "rtb" | "tgw" | "tgw-rtb" | "rslvr-out"): string => `${prefix}-00000000000000000`,
  /** A GCP VPC network's id (self link form `projects/<p>/global/networks/<n>`). */
  gcpNetwork: (): string => `projects/${PLACEHOLDER_NAME}/global/networks/${PLACEHOLDER_NAME}`,
  /** A GCP regional resource's id, e.g. `gcpRegional("vpnGateways")` for an HA VPN gateway. */
  gcpRegional: (collection: string): string => `projects/${PLACEHOLDER_NAME}/regions/us-central1/${collection}/${PLACEHOLDER_NAME}`,
  /** A GCP subnetwork's id. */
  gcpSubnetwork: (): string => `projects/${PLACEHOLDER_NAME}/regions/us-central1/subnetworks/${PLACEHOLDER_NAME}`,
  /** An Azure resource id under `provider` (e.g. `Microsoft.Network/virtualNetworks`), by name path. */
  azureId: (provider: string, ...names: string[]): string => `${AZURE_SCOPE}/providers/${provider}/${(names.length > 0 ? names : [PLACEHOLDER_NAME]).join("/")}`,
  /** An Azure subnet id. */
  azureSubnet: (): string => Placeholder.azureId("Microsoft.Network/virtualNetworks", PLACEHOLDER_NAME, "subnets", PLACEHOLDER_NAME),
  /** An Azure private DNS zone id. */
  azureDnsZone: (zone: string): string => Placeholder.azureId("Microsoft.Network/privateDnsZones", zone),
  /** A DigitalOcean resource id (UUID). */
  uuid: (): string => "00000000-0000-4000-8000-000000000000",
  /** A Cloudflare id (32 hex digits). */
  cloudflareId: (): string => "00000000000000000000000000000000",
} as const;
