/**
 * The cross-cloud links of an environment, derived once from config: which pairs are linked, the
 * inside /30 of every tunnel and its two BGP addresses, each cloud's ASN and the ranges it
 * advertises. Gateway and link stacks both derive from here, so a link never needs an output of
 * a stack that is not yet deployed to know an address that config already fixes.
 */
import { Netmask, ip2long, long2ip } from "netmask";
import { awsAvailabilityZoneIds } from "./config/clouds/aws";
import { VPN_CLOUDS, VpnCloud } from "./config/clouds/interconnect";
import type { EnvironmentConfig } from "./config/environment";

export { VPN_CLOUDS, type VpnCloud };

/** One resolved link: the two clouds in canonical order (aws, gcp, azure) and one /30 per tunnel. */
export interface InterconnectLink {
  readonly a: VpnCloud;
  readonly b: VpnCloud;
  /** `<a>-<b>`, e.g. `aws-gcp`: the link stack's layer and the suffix of its resources. */
  readonly name: `${VpnCloud}-${VpnCloud}`;
  readonly insideCidrs: readonly string[];
}

/** The addresses Azure accepts for custom (APIPA) BGP addresses on a VPN gateway. */
export const AZURE_APIPA_RANGE = { first: "169.254.21.0", last: "169.254.22.255" } as const;

/**
 * Inside CIDRs an AWS site-to-site VPN refuses (the AWS VPN user guide, "Tunnel options": the
 * /30s 169.254.0.0-169.254.5.0 and 169.254.169.252 are reserved).
 */
export const AWS_RESERVED_INSIDE_CIDRS = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
] as const;

/** Ports a peer cloud is admitted on, by purpose. */
export const INTERCONNECT_PORTS = { postgres: 5432, mongodb: 27017, istioEastWest: 15443, dns: 53 } as const;

/**
 * Default inside CIDRs per pair. Links with AWS have four tunnels (two VPN connections of two);
 * links with Azure sit in Azure's APIPA range, the first half on gateway instance 0
 * (169.254.21.x), the second on instance 1 (169.254.22.x).
 */
const DEFAULT_INSIDE_CIDRS: Record<string, readonly string[]> = {
  "aws-gcp": ["169.254.10.0/30", "169.254.10.4/30", "169.254.10.8/30", "169.254.10.12/30"],
  "aws-azure": ["169.254.21.0/30", "169.254.21.4/30", "169.254.22.0/30", "169.254.22.4/30"],
  "gcp-azure": ["169.254.21.8/30", "169.254.22.8/30"],
};

/**
 * Tunnels per pair. With AWS: two VPN connections of two tunnels, the four-interface topology
 * Google documents for its 99.99 % SLA and the one Microsoft documents for AWS. GCP to Azure: two,
 * one per HA VPN interface to one Azure instance each; a third and fourth tunnel would need a second
 * BGP address on one local network gateway, which Azure does not allow (one `bgp_peering_address`
 * per local network gateway, and both GCP interfaces are the only public addresses).
 */
export function tunnelCount(a: VpnCloud, b: VpnCloud): 2 | 4 {
  return a === "aws" || b === "aws" ? 4 : 2;
}

/**
 * How many inbound DNS resolver addresses a cloud's gateway publishes, known at synth so the link
 * stacks write one static forwarding target per address (a `dynamic` block over the remote-state
 * list would do the same in Terraform, but checkov's terraform_json parser crashes on it and drops
 * most of the link file). AWS: the `ip_address` entries of the Route 53 inbound endpoint, one per
 * private subnet and at least the two Route 53 requires (the gateway stack sizes the endpoint from
 * this). Azure: the one private IP of the resolver's single inbound endpoint. GCP: the inbound
 * server policy reserves one DNS_RESOLVER address per subnet of the network in the region, read
 * back by a data source, so only one is guaranteed (the nodes subnet's); the link uses element 0,
 * and one address serves every private zone of the VPC.
 */
export function dnsResolverAddressCount(env: EnvironmentConfig, cloud: VpnCloud): number {
  if (cloud === "aws") return Math.max(2, env.clouds.aws ? awsAvailabilityZoneIds(env.clouds.aws).length : 0);
  return 1;
}

const order = (cloud: VpnCloud) => VPN_CLOUDS.indexOf(cloud);

function canonical(x: VpnCloud, y: VpnCloud): [VpnCloud, VpnCloud] {
  return order(x) <= order(y) ? [x, y] : [y, x];
}

/** The enabled clouds that have a VPN gateway. */
export function vpnClouds(env: EnvironmentConfig): VpnCloud[] {
  return VPN_CLOUDS.filter((cloud) => env.clouds[cloud] !== undefined);
}

/**
 * The links of an environment: as configured, else every pair of enabled VPN clouds. Links that
 * name a disabled cloud or DigitalOcean are left out here (the loader reports them).
 */
export function interconnectLinks(env: EnvironmentConfig): InterconnectLink[] {
  if (!env.interconnect.enabled) return [];
  const enabled = vpnClouds(env);
  const pairs: [VpnCloud, VpnCloud, readonly string[] | undefined][] = [];
  if (env.interconnect.links) {
    for (const link of env.interconnect.links) {
      const [x, y] = link.clouds;
      if (x === "digitalocean" || y === "digitalocean" || x === y) continue;
      if (!enabled.includes(x) || !enabled.includes(y)) continue;
      const [a, b] = canonical(x, y);
      if (pairs.some(([p, q]) => p === a && q === b)) continue;
      pairs.push([a, b, link.insideCidrs]);
    }
  } else {
    for (let i = 0; i < enabled.length; i++) for (let j = i + 1; j < enabled.length; j++) pairs.push([enabled[i], enabled[j], undefined]);
  }
  return pairs.map(([a, b, cidrs]) => ({ a, b, name: `${a}-${b}` as const, insideCidrs: cidrs ?? DEFAULT_INSIDE_CIDRS[`${a}-${b}`] }));
}

/** The links one cloud takes part in. */
export function linksOf(env: EnvironmentConfig, cloud: VpnCloud): InterconnectLink[] {
  return interconnectLinks(env).filter((link) => link.a === cloud || link.b === cloud);
}

/** The other cloud of a link. */
export function peerOf(link: InterconnectLink, cloud: VpnCloud): VpnCloud {
  return link.a === cloud ? link.b : link.a;
}

/** The BGP ASN of a cloud's gateway. */
export function cloudAsn(env: EnvironmentConfig, cloud: VpnCloud): number {
  return env.interconnect.asn[cloud];
}

/**
 * The ranges a cloud advertises over its links, and the only ones its peers accept from it: its
 * own VPC/VNet ranges that other clouds must reach. AWS: the VPC. GCP: the node subnet, the pod
 * range (GKE pods are VPC-native) and the private-service range (Cloud SQL, Memorystore). Azure:
 * the VNet (pods on the CNI overlay leave through their node's address).
 */
export function advertisedRanges(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  switch (cloud) {
    case "aws":
      return env.clouds.aws ? [env.clouds.aws.network.cidr] : [];
    case "gcp": {
      const gcp = env.clouds.gcp;
      return gcp ? [gcp.network.cidr, gcp.network.podsCidr, gcp.network.privateServicesCidr] : [];
    }
    case "azure":
      return env.clouds.azure ? [env.clouds.azure.network.cidr] : [];
  }
}

/** The two BGP addresses of a tunnel's /30: the first and second host. */
export function tunnelAddresses(insideCidr: string): { first: string; second: string; prefix: number } {
  const block = new Netmask(insideCidr);
  return { first: long2ip(ip2long(block.base) + 1), second: long2ip(ip2long(block.base) + 2), prefix: block.bitmask };
}

/**
 * Azure's custom APIPA addresses on each gateway instance, over every link Azure takes part in:
 * Azure is always the second host of a tunnel's /30 (AWS takes the first of its inside CIDRs,
 * GCP's Cloud Router the first on the GCP link). The first half of a link's tunnels lands on
 * instance 0, the second on instance 1.
 */
export function azureApipaAddresses(env: EnvironmentConfig): [string[], string[]] {
  const instance0: string[] = [];
  const instance1: string[] = [];
  for (const link of linksOf(env, "azure")) {
    const half = link.insideCidrs.length / 2;
    link.insideCidrs.forEach((cidr, index) => (index < half ? instance0 : instance1).push(tunnelAddresses(cidr).second));
  }
  return [instance0, instance1];
}

/** One problem in the interconnect section (the loader adds the environment name). */
export interface InterconnectProblem {
  readonly path: string;
  readonly message: string;
}

const APIPA_FIRST = ip2long(AZURE_APIPA_RANGE.first);
const APIPA_LAST = ip2long(AZURE_APIPA_RANGE.last);
const LINK_LOCAL = new Netmask("169.254.0.0/16");

/** Every rule of the interconnect section that looks at the rest of the environment. */
export function interconnectProblems(env: EnvironmentConfig): InterconnectProblem[] {
  const problems: InterconnectProblem[] = [];
  const ic = env.interconnect;
  const enabled = vpnClouds(env);

  const asns = new Map<number, VpnCloud>();
  for (const cloud of enabled) {
    const asn = ic.asn[cloud];
    const other = asns.get(asn);
    if (other) problems.push({ path: `interconnect.asn.${cloud}`, message: `${asn} is already the ASN of ${other}; every cloud needs its own` });
    else asns.set(asn, cloud);
    // Azure keeps 65515 for its own gateways and 65517-65520 for its services.
    if (cloud !== "azure" && env.clouds.azure && asn >= 65515 && asn <= 65520) {
      problems.push({ path: `interconnect.asn.${cloud}`, message: `${asn} is reserved by Azure (65515-65520); a peer of an Azure VPN gateway cannot use it` });
    }
    if (cloud === "azure" && asn >= 65517 && asn <= 65520) {
      problems.push({ path: "interconnect.asn.azure", message: `${asn} is reserved by Azure (65517-65520)` });
    }
  }

  const seenPairs = new Set<string>();
  const allInside: { path: string; cidr: string }[] = [];
  const links = ic.links ?? [];
  links.forEach((link, i) => {
    const path = `interconnect.links[${i}]`;
    const [x, y] = link.clouds;
    if (x === y) {
      problems.push({ path: `${path}.clouds`, message: `links ${x} to itself` });
      return;
    }
    for (const cloud of [x, y]) {
      if (cloud === "digitalocean") {
        problems.push({
          path: `${path}.clouds`,
          message: "digitalocean has no IPsec VPN gateway; it joins through interconnect.digitalocean.partnerAttachment",
        });
      } else if (!env.clouds[cloud]) {
        problems.push({ path: `${path}.clouds`, message: `'${cloud}' is not enabled in this environment` });
      }
    }
    if (x === "digitalocean" || y === "digitalocean" || !env.clouds[x] || !env.clouds[y]) return;
    const [a, b] = canonical(x, y);
    if (seenPairs.has(`${a}-${b}`)) problems.push({ path: `${path}.clouds`, message: `links ${a} and ${b} a second time` });
    seenPairs.add(`${a}-${b}`);
    if (link.insideCidrs) {
      const want = tunnelCount(a, b);
      if (link.insideCidrs.length !== want) {
        problems.push({ path: `${path}.insideCidrs`, message: `lists ${link.insideCidrs.length} CIDRs; a link between ${a} and ${b} has ${want} tunnels, one /30 each` });
      }
    }
  });

  for (const link of interconnectLinks(env)) {
    const index = links.findIndex((l) => canonical(l.clouds[0] as VpnCloud, l.clouds[1] as VpnCloud).join("-") === link.name);
    const base = index >= 0 ? `interconnect.links[${index}].insideCidrs` : `interconnect.links(${link.name}).insideCidrs`;
    link.insideCidrs.forEach((cidr, j) => {
      const path = `${base}[${j}]`;
      const block = new Netmask(cidr);
      if (block.bitmask !== 30) {
        problems.push({ path, message: `${cidr} must be a /30 (one address for each end of the tunnel)` });
        return;
      }
      if (!LINK_LOCAL.contains(block.base)) {
        problems.push({ path, message: `${cidr} must be inside 169.254.0.0/16 (link-local addresses for BGP)` });
        return;
      }
      if ((link.a === "aws" || link.b === "aws") && (AWS_RESERVED_INSIDE_CIDRS as readonly string[]).includes(cidr)) {
        problems.push({ path, message: `${cidr} is reserved by AWS and refused as a tunnel inside CIDR (${AWS_RESERVED_INSIDE_CIDRS.join(", ")})` });
      }
      if (link.b === "azure" && (ip2long(block.base) < APIPA_FIRST || ip2long(block.last) + 1 > APIPA_LAST)) {
        problems.push({ path, message: `${cidr} is outside the range Azure accepts for BGP addresses (169.254.21.0-169.254.22.255)` });
      }
      for (const other of allInside) {
        const o = new Netmask(other.cidr);
        if (o.contains(block.base) || block.contains(o.base)) {
          problems.push({ path, message: `${cidr} overlaps ${other.path} (${other.cidr}); every tunnel needs its own /30` });
        }
      }
      allInside.push({ path, cidr });
    });
  }

  const partner = ic.digitalocean?.partnerAttachment;
  if (partner) {
    if (!env.clouds.digitalocean) problems.push({ path: "interconnect.digitalocean", message: "describes a partner attachment but digitalocean is not enabled in this environment" });
    if (!env.clouds[partner.peerCloud]) {
      problems.push({ path: "interconnect.digitalocean.partnerAttachment.peerCloud", message: `'${partner.peerCloud}' is not enabled in this environment` });
    }
  }
  return problems;
}

/**
 * The ranges admitted to a cloud's databases over the links: where the cloud holds the primary,
 * the ranges of every linked cloud holding a replica or the backup (they replicate from it and
 * dump it); nothing otherwise.
 */
export function databaseClientRanges(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  if (env.clouds[cloud]?.data.role !== "primary") return [];
  return linksOf(env, cloud)
    .map((link) => peerOf(link, cloud))
    .filter((peer) => env.clouds[peer]?.data.role === "replica" || env.clouds[peer]?.data.role === "backup")
    .flatMap((peer) => advertisedRanges(env, peer));
}

/** Every range of every cloud linked to `cloud` (routed to the link, admitted to DNS and the mesh). */
export function peerRanges(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  return linksOf(env, cloud).flatMap((link) => advertisedRanges(env, peerOf(link, cloud)));
}

/**
 * Cloud DNS sends queries to private forwarding targets from this Google range, so GCP's router
 * advertises it next to the VPC's ranges and peers route (and admit DNS from) it over the link
 * (Cloud DNS "forwarding zones": private routing needs a route back through Cloud VPN).
 */
export const GCP_DNS_FORWARDING_RANGE = "35.199.192.0/19";

/** What a cloud's gateway advertises: its network ranges, and on GCP the Cloud DNS forwarding range. */
export function routedRanges(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  return [...advertisedRanges(env, cloud), ...(cloud === "gcp" ? [GCP_DNS_FORWARDING_RANGE] : [])];
}

/** Every range a cloud routes to its links: what each linked peer advertises. */
export function peerRoutedRanges(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  return linksOf(env, cloud).flatMap((link) => routedRanges(env, peerOf(link, cloud)));
}

/**
 * True when a private link joins this cloud's cluster to every other cluster of the environment:
 * its Istio east-west gateway then sits on an internal load balancer and the mesh's cross-cluster
 * traffic crosses the links. One unlinked peer (DigitalOcean without a partner attachment) keeps
 * it public with mTLS, since that peer could not reach an internal address.
 */
export function meshOverLinks(env: EnvironmentConfig, cloud: string): boolean {
  if (!(VPN_CLOUDS as readonly string[]).includes(cloud)) return false;
  const others = (["aws", "gcp", "azure", "digitalocean"] as const).filter((c) => c !== cloud && env.clouds[c] !== undefined);
  const linked = new Set(linksOf(env, cloud as VpnCloud).map((link) => peerOf(link, cloud as VpnCloud)));
  return others.length > 0 && others.every((other) => linked.has(other as VpnCloud));
}
