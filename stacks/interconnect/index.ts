/**
 * The private network between the clouds: one gateway stack per linked cloud
 * (`<env>-<cloud>-gateway`) and one link stack per linked pair (`<env>-interconnect-<a>-<b>`).
 *
 * The split keeps every dependency one-way. A gateway stack reads only its own cloud's network
 * (and cluster) contracts and holds what all of that cloud's links share: AWS's Transit Gateway,
 * GCP's HA VPN gateway and Cloud Router, Azure's one VPN gateway per VNet with its APIPA BGP
 * addresses. A link stack reads both gateways' contracts (each side's public addresses) and holds
 * everything of the pair: pre-shared keys, tunnels, BGP sessions, DNS forwarding, link firewall
 * rules. Everything fixed by config (ASNs, inside CIDRs, ranges) comes from `modules/interconnect`
 * on both sides, so no gateway needs an output of a link.
 */
import { Route53ResolverRule } from "@cdktf/provider-aws/lib/route53-resolver-rule";
import { Route53ResolverRuleAssociation } from "@cdktf/provider-aws/lib/route53-resolver-rule-association";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { PrivateDnsResolverForwardingRule } from "@cdktf/provider-azurerm/lib/private-dns-resolver-forwarding-rule";
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeNetworkPeeringRoutesConfig } from "@cdktf/provider-google/lib/compute-network-peering-routes-config";
import { DnsManagedZone } from "@cdktf/provider-google/lib/dns-managed-zone";
import { Password } from "@cdktf/provider-random/lib/password";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { PartnerAttachment } from "@cdktf/provider-digitalocean/lib/partner-attachment";
import { digitalOceanProvider } from "../../constructs/digitalocean/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { awsProvider } from "../../constructs/aws/provider";
import { TransitGatewayHub } from "../../constructs/aws/transit-gateway-hub";
import { AwsVpnConnections } from "../../constructs/aws/vpn-connections";
import { azureProvider } from "../../constructs/azure/provider";
import { PRIVATE_LINK_ZONES, vnetSubnetPlan } from "../../constructs/azure/vnet-network";
import { AzureVpnConnections } from "../../constructs/azure/vpn-connections";
import { VpnGatewayHub } from "../../constructs/azure/vpn-gateway-hub";
import { HaVpnHub } from "../../constructs/gcp/ha-vpn-hub";
import { googleProvider } from "../../constructs/gcp/provider";
import { GcpVpnTunnels } from "../../constructs/gcp/vpn-tunnels";
import { awsAvailabilityZoneIds } from "../../modules/config/clouds/aws";
import type { EnvironmentConfig } from "../../modules/config/environment";
import {
  AttachmentContract,
  AwsClusterContract,
  AwsGatewayContract,
  AwsNetworkContract,
  AzureGatewayContract,
  AzureNetworkContract,
  GcpGatewayContract,
  GcpNetworkContract,
  LinkContract,
  NetworkContract,
} from "../../modules/contracts/layers";
import {
  INTERCONNECT_PORTS,
  advertisedRanges,
  InterconnectLink,
  VpnCloud,
  azureApipaAddresses,
  cloudAsn,
  dnsResolverAddressCount,
  interconnectLinks,
  meshOverLinks,
  peerOf,
  peerRanges,
  peerRoutedRanges,
  routedRanges,
  tunnelAddresses,
  vpnClouds,
} from "../../modules/interconnect";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import type { CloudStacks } from "../types";

/** The gateway stacks of an environment, by cloud. */
export type GatewayStacks = Partial<Record<VpnCloud, LayerStack>>;

/**
 * The private DNS domains a cloud answers for the others: the names its managed databases get.
 * RDS and DocumentDB endpoints live under the region's service domains, ElastiCache under
 * `cache.amazonaws.com`; Cloud SQL's private names under `<region>.sql.goog`; Azure's services
 * resolve through their private DNS zones (PostgreSQL's own, the privatelink zones).
 */
export function privateDomains(env: EnvironmentConfig, cloud: VpnCloud): string[] {
  switch (cloud) {
    case "aws": {
      const region = env.clouds.aws?.region ?? "us-east-1";
      return [`${region}.rds.amazonaws.com`, `${region}.docdb.amazonaws.com`, "cache.amazonaws.com"];
    }
    case "gcp":
      return [`${env.clouds.gcp?.region ?? "us-central1"}.sql.goog`];
    case "azure":
      return [`${resourceName(env, [])}.private.postgres.database.azure.com`, ...Object.values(PRIVATE_LINK_ZONES)];
  }
}

/** Builds `<env>-<cloud>-gateway` for every cloud that takes part in a link. */
export function buildGatewayStacks(scope: Construct, env: EnvironmentConfig, clouds: Partial<Record<string, CloudStacks>>): GatewayStacks {
  const linked = vpnClouds(env).filter((cloud) => interconnectLinks(env).some((link) => link.a === cloud || link.b === cloud));
  const stacks: GatewayStacks = {};
  for (const cloud of linked) {
    const network = clouds[cloud]?.network;
    if (!network) continue;
    if (cloud === "aws") stacks.aws = buildAwsGateway(scope, env, network, clouds.aws?.cluster);
    if (cloud === "gcp") stacks.gcp = buildGcpGateway(scope, env, network);
    if (cloud === "azure") stacks.azure = buildAzureGateway(scope, env, network);
  }
  return stacks;
}

function buildAwsGateway(scope: Construct, env: EnvironmentConfig, networkStack: LayerStack, clusterStack: LayerStack | undefined): LayerStack {
  const aws = env.clouds.aws!;
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "gateway" });
  awsProvider(stack, aws);
  const network = stack.read(AwsNetworkContract, networkStack);
  const zones = awsAvailabilityZoneIds(aws).length;
  const hub = new TransitGatewayHub(stack, "hub", {
    namePrefix: resourceName(env, ["link"]),
    accountId: aws.accountId,
    region: aws.region,
    asn: cloudAsn(env, "aws"),
    vpcId: network.vpc_id,
    vpcCidr: aws.network.cidr,
    subnetIds: network.private_subnet_ids,
    resolverAddressCount: dnsResolverAddressCount(env, "aws"),
    routeTableIds: Fn.concat([network.private_route_table_ids, [network.database_route_table_id]]),
    routeTableCount: zones + 1,
    peerRanges: peerRoutedRanges(env, "aws"),
    preventDestroy: stack.production,
  });
  if (clusterStack && meshOverLinks(env, "aws")) {
    // The mesh's east-west gateway (an internal NLB with IP targets) serves the peers over the link.
    const cluster = stack.read(AwsClusterContract, clusterStack);
    peerRanges(env, "aws").forEach((range, i) => {
      new VpcSecurityGroupIngressRule(stack, `eastwest-from-peer-${i}`, {
        securityGroupId: cluster.node_security_group_id,
        description: "Istio east-west (mTLS) from a linked cloud",
        ipProtocol: "tcp",
        fromPort: INTERCONNECT_PORTS.istioEastWest,
        toPort: INTERCONNECT_PORTS.istioEastWest,
        cidrIpv4: range,
        tags: { Name: `${resourceName(env, ["eastwest"])}-${i}` },
      });
    });
  }
  stack.publish(AwsGatewayContract, {
    asn: cloudAsn(env, "aws"),
    advertised_ranges: routedRanges(env, "aws"),
    tunnel_addresses: [],
    dns_resolver_addresses: hub.inboundResolverAddresses,
    dns_domains: privateDomains(env, "aws"),
    transit_gateway_id: hub.transitGateway.id,
    vpn_route_table_id: hub.vpnRouteTable.id,
    vpc_route_table_id: hub.vpcRouteTable.id,
    dns_outbound_endpoint_id: hub.outboundResolver.id,
    vpn_log_group_arn: hub.vpnLogGroup.arn,
    vpc_id: network.vpc_id,
  });
  return stack;
}

function buildGcpGateway(scope: Construct, env: EnvironmentConfig, networkStack: LayerStack): LayerStack {
  const gcp = env.clouds.gcp!;
  const stack = new LayerStack(scope, { env, cloud: "gcp", layer: "gateway" });
  googleProvider(stack, gcp);
  const network = stack.read(GcpNetworkContract, networkStack);
  const hub = new HaVpnHub(stack, "hub", {
    namePrefix: resourceName(env, ["link"]),
    region: gcp.region,
    networkId: network.vpc_id,
    asn: cloudAsn(env, "gcp"),
    advertisedRanges: routedRanges(env, "gcp"),
  });
  // Cloud SQL and Memorystore live in Google's producer network behind the private-service
  // peering: exporting the VPC's custom (BGP-learned) routes into it lets them reach the linked
  // clouds, whose answers come back through the advertised private-service range.
  new ComputeNetworkPeeringRoutesConfig(stack, "private-services-routes", {
    network: network.network_name,
    peering: "servicenetworking-googleapis-com",
    exportCustomRoutes: true,
    importCustomRoutes: false,
  });
  stack.publish(GcpGatewayContract, {
    asn: cloudAsn(env, "gcp"),
    advertised_ranges: routedRanges(env, "gcp"),
    tunnel_addresses: hub.interfaceAddresses,
    dns_resolver_addresses: hub.inboundDnsAddresses,
    dns_domains: privateDomains(env, "gcp"),
    vpn_gateway_id: hub.gateway.id,
    router_name: hub.router.name,
    network_id: network.vpc_id,
  });
  return stack;
}

function buildAzureGateway(scope: Construct, env: EnvironmentConfig, networkStack: LayerStack): LayerStack {
  const azure = env.clouds.azure!;
  const stack = new LayerStack(scope, { env, cloud: "azure", layer: "gateway" });
  azureProvider(stack, azure);
  const network = stack.read(AzureNetworkContract, networkStack);
  const plan = vnetSubnetPlan(azure.network.cidr);
  const [instance0, instance1] = azureApipaAddresses(env);
  const hub = new VpnGatewayHub(stack, "hub", {
    namePrefix: resourceName(env, ["link"]),
    location: azure.location,
    resourceGroupName: network.resource_group_name,
    // The VNet's name is the last segment of its id.
    virtualNetworkName: Fn.element(Fn.split("/", network.vpc_id), 8),
    virtualNetworkId: network.vpc_id,
    subnetCidrs: { gateway: plan.gateway, dnsInbound: plan.dnsInbound, dnsOutbound: plan.dnsOutbound },
    asn: cloudAsn(env, "azure"),
    dnsClientRanges: [azure.network.cidr, ...peerRoutedRanges(env, "azure")],
    apipaAddresses: [instance0, instance1],
  });

  // Azure's `VirtualNetwork` service tag grows to every range the VPN gateway learns, so the
  // network's "from the VNet" rules would admit the peers on every port. These rules, ahead of
  // them, admit a peer only to the mesh's east-west port on the nodes and deny the rest.
  const peers = peerRanges(env, "azure");
  const nsg = (subnet: string) => `${resourceName(env, [])}-${subnet}-nsg`;
  const rule = (id: string, subnet: string, priority: number, access: "Allow" | "Deny", ports: string, description: string) =>
    new NetworkSecurityRule(stack, id, {
      name: id,
      priority,
      direction: "Inbound",
      access,
      protocol: access === "Allow" ? "Tcp" : "*",
      sourceAddressPrefixes: peers,
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: ports,
      description,
      networkSecurityGroupName: nsg(subnet),
      resourceGroupName: network.resource_group_name,
    });
  if (meshOverLinks(env, "azure")) {
    rule("allow-linked-clouds-eastwest", "nodes", 111, "Allow", String(INTERCONNECT_PORTS.istioEastWest), "Istio east-west (mTLS) from the linked clouds");
  }
  rule("deny-linked-clouds-nodes", "nodes", 115, "Deny", "*", "Nothing else from the linked clouds reaches the nodes");
  rule("deny-linked-clouds-endpoints", "endpoints", 90, "Deny", "*", "The linked clouds do not reach the private endpoints");

  stack.publish(AzureGatewayContract, {
    asn: cloudAsn(env, "azure"),
    advertised_ranges: routedRanges(env, "azure"),
    tunnel_addresses: hub.publicAddresses,
    dns_resolver_addresses: [hub.inboundDnsAddress],
    dns_domains: privateDomains(env, "azure"),
    virtual_network_gateway_id: hub.gateway.id,
    resource_group_name: network.resource_group_name,
    dns_forwarding_ruleset_id: hub.forwardingRuleset.id,
  });
  return stack;
}

/**
 * `<env>-digitalocean-gateway`, only when `interconnect.digitalocean.partnerAttachment` describes
 * one: the pinned DigitalOcean provider has no IPsec gateway, so the VPC joins a partner's network
 * (Partner Network Connect) over BGP, and the partner's circuit reaches the peer cloud's own
 * interconnect (Direct Connect, Partner Interconnect, ExpressRoute), which is set up with the partner.
 */
export function buildDigitalOceanGateway(scope: Construct, env: EnvironmentConfig, networkStack: LayerStack | undefined): LayerStack | undefined {
  const partner = env.interconnect.enabled ? env.interconnect.digitalocean?.partnerAttachment : undefined;
  if (!partner || !networkStack || !env.clouds.digitalocean) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "digitalocean", layer: "gateway" });
  digitalOceanProvider(stack);
  const network = stack.read(NetworkContract, networkStack);
  const attachment = new PartnerAttachment(stack, "partner-attachment", {
    name: resourceName(env, ["link", partner.peerCloud]),
    connectionBandwidthInMbps: partner.bandwidthMbps,
    region: partner.region,
    naasProvider: partner.naasProvider,
    redundancyZone: partner.redundancyZone,
    vpcIds: [network.vpc_id],
    bgp: { localRouterIp: partner.bgp.localRouterIp, peerRouterIp: partner.bgp.peerRouterIp, peerRouterAsn: partner.bgp.peerRouterAsn },
  });
  stack.publish(AttachmentContract, { partner_attachment_id: attachment.id, advertised_ranges: [env.clouds.digitalocean.network.cidr] });
  return stack;
}

/** Builds `<env>-interconnect-<a>-<b>` for every link whose two gateway stacks exist. */
export function buildLinkStacks(scope: Construct, env: EnvironmentConfig, gateways: GatewayStacks): LayerStack[] {
  const stacks: LayerStack[] = [];
  let previousAzureLink: LayerStack | undefined;
  for (const link of interconnectLinks(env)) {
    const a = gateways[link.a];
    const b = gateways[link.b];
    if (!a || !b) continue;
    const stack = buildLink(scope, env, link, a, b);
    // Azure's VPN gateway serializes its operations (a second connection written meanwhile fails
    // with 409 AnotherOperationInProgress): the links to it deploy one after the other.
    if (link.b === "azure") {
      if (previousAzureLink) stack.addDependency(previousAzureLink);
      previousAzureLink = stack;
    }
    stacks.push(stack);
  }
  return stacks;
}

/**
 * The pre-shared key of one tunnel: generated, letters only (AWS refuses keys starting with 0 and most
 * symbols). A managed `random_password`, so in state: aws_vpn_connection, google_compute_vpn_tunnel and
 * azurerm_virtual_network_gateway_connection have no write-only key at the pinned providers
 * (docs/state-and-review.md).
 */
function presharedKey(stack: LayerStack, n: number): string {
  return new Password(stack, `psk-${n}`, { length: 48, special: false, numeric: false }).result;
}

function buildLink(scope: Construct, env: EnvironmentConfig, link: InterconnectLink, aStack: LayerStack, bStack: LayerStack): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "interconnect", layer: link.name });
  new RandomProvider(stack, "random");
  const name = resourceName(env, ["link", link.name]);
  const keys = link.insideCidrs.map((_, i) => presharedKey(stack, i + 1));
  const hosts = link.insideCidrs.map(tunnelAddresses);

  const aws = link.a === "aws" ? stack.read(AwsGatewayContract, aStack) : undefined;
  const gcp = link.a === "gcp" ? stack.read(GcpGatewayContract, aStack) : link.b === "gcp" ? stack.read(GcpGatewayContract, bStack) : undefined;
  const azure = link.b === "azure" ? stack.read(AzureGatewayContract, bStack) : undefined;
  if (aws) awsProvider(stack, env.clouds.aws!);
  if (gcp) googleProvider(stack, env.clouds.gcp!);
  if (azure) azureProvider(stack, env.clouds.azure!);
  const peerAsn = (cloud: VpnCloud) => cloudAsn(env, peerOf(link, cloud));
  // AWS's end is the same towards GCP and Azure: two VPN connections (four tunnels) on the Transit
  // Gateway, one customer gateway per peer public address.
  const awsTunnelsTo = (peerTunnelAddresses: string[]) =>
    new AwsVpnConnections(stack, "aws-tunnels", {
      namePrefix: name,
      transitGatewayId: aws!.transit_gateway_id,
      vpnRouteTableId: aws!.vpn_route_table_id,
      vpcRouteTableId: aws!.vpc_route_table_id,
      peerAsn: peerAsn("aws"),
      peerAddresses: [Fn.element(peerTunnelAddresses, 0), Fn.element(peerTunnelAddresses, 1)],
      tunnels: link.insideCidrs.map((insideCidr, i) => ({ insideCidr, presharedKey: keys[i] })),
      logGroupArn: aws!.vpn_log_group_arn,
    });

  if (link.name === "aws-gcp" && aws && gcp) {
    // Google's AWS topology: one customer gateway per HA VPN interface, four tunnels; AWS takes
    // the first address of each inside /30, the Cloud Router the second.
    const awsSide = awsTunnelsTo(gcp.tunnel_addresses);
    new GcpVpnTunnels(stack, "gcp-tunnels", {
      namePrefix: name,
      region: env.clouds.gcp!.region,
      vpnGatewayId: gcp.vpn_gateway_id,
      routerName: gcp.router_name,
      peerAsn: peerAsn("gcp"),
      peerAddresses: awsSide.outsideAddresses,
      tunnels: hosts.map((h, i) => ({
        gatewayInterface: i < 2 ? 0 : 1,
        peerInterface: i,
        localAddress: `${h.second}/${h.prefix}`,
        peerAddress: h.first,
        sharedSecret: keys[i],
      })),
      advertisedRanges: routedRanges(env, "gcp"),
    });
  } else if (link.name === "aws-azure" && aws && azure) {
    // Microsoft's AWS topology: one customer gateway per Azure instance, four local network
    // gateways (one per AWS tunnel endpoint); AWS takes the first address, Azure's APIPA the second.
    const awsSide = awsTunnelsTo(azure.tunnel_addresses);
    new AzureVpnConnections(stack, "azure-tunnels", {
      namePrefix: name,
      location: env.clouds.azure!.location,
      resourceGroupName: azure.resource_group_name,
      virtualNetworkGatewayId: azure.virtual_network_gateway_id,
      peerAsn: peerAsn("azure"),
      tunnels: hosts.map((h, i) => ({
        peerPublicAddress: awsSide.outsideAddresses[i],
        peerBgpAddress: h.first,
        customBgpAddresses: [hosts[i % 2].second, hosts[2 + (i % 2)].second],
        sharedKey: keys[i],
      })),
    });
  } else if (link.name === "gcp-azure" && gcp && azure) {
    // One tunnel per HA VPN interface to one Azure instance each; the Cloud Router takes the
    // first address of each inside /30, Azure's APIPA the second.
    new GcpVpnTunnels(stack, "gcp-tunnels", {
      namePrefix: name,
      region: env.clouds.gcp!.region,
      vpnGatewayId: gcp.vpn_gateway_id,
      routerName: gcp.router_name,
      peerAsn: peerAsn("gcp"),
      peerAddresses: [Fn.element(azure.tunnel_addresses, 0), Fn.element(azure.tunnel_addresses, 1)],
      tunnels: hosts.map((h, i) => ({
        gatewayInterface: i as 0 | 1,
        peerInterface: i,
        localAddress: `${h.first}/${h.prefix}`,
        peerAddress: h.second,
        sharedSecret: keys[i],
      })),
      advertisedRanges: routedRanges(env, "gcp"),
    });
    new AzureVpnConnections(stack, "azure-tunnels", {
      namePrefix: name,
      location: env.clouds.azure!.location,
      resourceGroupName: azure.resource_group_name,
      virtualNetworkGatewayId: azure.virtual_network_gateway_id,
      peerAsn: peerAsn("azure"),
      tunnels: hosts.map((h, i) => ({
        peerPublicAddress: Fn.element(gcp.tunnel_addresses, i),
        peerBgpAddress: h.first,
        customBgpAddresses: [hosts[0].second, hosts[1].second],
        sharedKey: keys[i],
      })),
    });
  }

  // DNS: each side forwards the other's private domains to the other's inbound resolver.
  const peerResolvers = (cloud: VpnCloud) => (cloud === "aws" ? aws : cloud === "gcp" ? gcp : azure)!.dns_resolver_addresses;
  for (const side of [link.a, link.b]) {
    const peer = peerOf(link, side);
    // One static target per published address (see dnsResolverAddressCount: no dynamic blocks).
    const resolvers = peerResolvers(peer);
    const targets = Array.from({ length: dnsResolverAddressCount(env, peer) }, (_, n) => Fn.element(resolvers, n));
    privateDomains(env, peer).forEach((domain, i) => {
      const id = `dns-${side}-to-${peer}-${i}`;
      if (side === "aws" && aws) {
        const rule = new Route53ResolverRule(stack, id, {
          name: `${name}-${peer}-${i}`,
          domainName: domain,
          ruleType: "FORWARD",
          resolverEndpointId: aws.dns_outbound_endpoint_id,
          targetIp: targets.map((ip) => ({ ip, port: 53 })),
        });
        new Route53ResolverRuleAssociation(stack, `${id}-association`, {
          name: `${name}-${peer}-${i}`,
          resolverRuleId: rule.id,
          vpcId: aws.vpc_id,
        });
      } else if (side === "gcp" && gcp) {
        new DnsManagedZone(stack, id, {
          name: `${name}-${peer}-${i}`,
          dnsName: `${domain}.`,
          description: `Forwards ${domain} to ${peer} over the private link`,
          visibility: "private",
          privateVisibilityConfig: { networks: [{ networkUrl: gcp.network_id }] },
          forwardingConfig: { targetNameServers: targets.map((ipv4Address) => ({ ipv4Address, forwardingPath: "private" })) },
        });
      } else if (side === "azure" && azure) {
        new PrivateDnsResolverForwardingRule(stack, id, {
          name: `${peer}-${i}`,
          dnsForwardingRulesetId: azure.dns_forwarding_ruleset_id,
          domainName: `${domain}.`,
          enabled: true,
          targetDnsServers: targets.map((ipAddress) => ({ ipAddress, port: 53 })),
        });
      }
    });
  }

  // Where the mesh runs over the links, GCP's east-west gateway admits the peer; logged like every rule.
  if (gcp && meshOverLinks(env, "gcp")) {
    const peer = peerOf(link, "gcp");
    new ComputeFirewall(stack, "gcp-allow-eastwest", {
      name: `${name}-allow-${peer}-eastwest`,
      network: gcp.network_id,
      direction: "INGRESS",
      priority: 900,
      allow: [{ protocol: "tcp", ports: [String(INTERCONNECT_PORTS.istioEastWest)] }],
      sourceRanges: advertisedRanges(env, peer),
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      description: `Istio east-west (mTLS) from ${peer} over the private link`,
    });
  }

  stack.publish(LinkContract, { tunnel_count: link.insideCidrs.length, inside_cidrs: [...link.insideCidrs] });
  return stack;
}
