/**
 * The Azure end of every cross-cloud link: the VNet's one VPN gateway (Azure allows one per VNet,
 * shared by all its connections), zone-redundant and active-active with BGP, its custom APIPA BGP
 * addresses for every tunnel of every link, and an Azure DNS Private Resolver whose inbound
 * endpoint answers the other clouds and whose forwarding ruleset sends their names to them.
 */
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { PrivateDnsResolver } from "@cdktf/provider-azurerm/lib/private-dns-resolver";
import { PrivateDnsResolverDnsForwardingRuleset } from "@cdktf/provider-azurerm/lib/private-dns-resolver-dns-forwarding-ruleset";
import { PrivateDnsResolverInboundEndpoint } from "@cdktf/provider-azurerm/lib/private-dns-resolver-inbound-endpoint";
import { PrivateDnsResolverOutboundEndpoint } from "@cdktf/provider-azurerm/lib/private-dns-resolver-outbound-endpoint";
import { PrivateDnsResolverVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-resolver-virtual-network-link";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetworkGateway } from "@cdktf/provider-azurerm/lib/virtual-network-gateway";
import { Construct } from "constructs";

/** Properties for {@link VpnGatewayHub}. */
export interface VpnGatewayHubProps {
  readonly namePrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkName: string;
  readonly virtualNetworkId: string;
  /** `GatewaySubnet`'s range (/27 or larger), the DNS resolver's inbound and outbound /28s. */
  readonly subnetCidrs: { readonly gateway: string; readonly dnsInbound: string; readonly dnsOutbound: string };
  readonly asn: number;
  /** Who may query the inbound DNS endpoint: the VNet and the linked clouds' ranges. */
  readonly dnsClientRanges: readonly string[];
  /** Custom APIPA BGP addresses of instance 0 and instance 1 (169.254.21.0-169.254.22.255). */
  readonly apipaAddresses: readonly [readonly string[], readonly string[]];
  /**
   * Zone-redundant gateway SKU. `VpnGw2AZ` and above run as Generation2.
   * @default "VpnGw2AZ"
   */
  readonly sku?: "VpnGw1AZ" | "VpnGw2AZ" | "VpnGw3AZ" | "VpnGw4AZ" | "VpnGw5AZ";
}

/** Names of the gateway's two IP configurations (instance 0 and 1 of the active-active pair). */
export const AZURE_GATEWAY_INSTANCES = ["instance-0", "instance-1"] as const;

export class VpnGatewayHub extends Construct {
  readonly gateway: VirtualNetworkGateway;
  /** Public addresses of instance 0 and instance 1. */
  readonly publicAddresses: [string, string];
  readonly inboundDnsAddress: string;
  readonly forwardingRuleset: PrivateDnsResolverDnsForwardingRuleset;

  constructor(scope: Construct, id: string, props: VpnGatewayHubProps) {
    super(scope, id);
    const name = props.namePrefix;
    const rg = props.resourceGroupName;
    const subnet = (key: string, subnetName: string, cidr: string, delegation?: string) =>
      new Subnet(this, `${key}-subnet`, {
        name: subnetName,
        resourceGroupName: rg,
        virtualNetworkName: props.virtualNetworkName,
        addressPrefixes: [cidr],
        // Private (no default outbound access) for the resolver's subnets; GatewaySubnet keeps
        // Azure's default, since the gateway's own management traffic is Azure's to route.
        defaultOutboundAccessEnabled: delegation ? false : undefined,
        delegation: delegation
          ? [{ name: "dns-resolver", serviceDelegation: { name: delegation, actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }]
          : undefined,
      });
    // Azure requires this exact name for the gateway's subnet.
    const gatewaySubnet = subnet("gateway", "GatewaySubnet", props.subnetCidrs.gateway);
    const ips = AZURE_GATEWAY_INSTANCES.map(
      (instance) =>
        new PublicIp(this, `${instance}-ip`, {
          name: `${name}-vpn-${instance}`,
          resourceGroupName: rg,
          location: props.location,
          allocationMethod: "Static",
          sku: "Standard",
          zones: ["1", "2", "3"],
        }),
    );
    const sku = props.sku ?? "VpnGw2AZ";
    this.gateway = new VirtualNetworkGateway(this, "gateway", {
      name: `${name}-vpn`,
      resourceGroupName: rg,
      location: props.location,
      type: "Vpn",
      vpnType: "RouteBased",
      sku,
      generation: sku === "VpnGw1AZ" ? "Generation1" : "Generation2",
      activeActive: true,
      enableBgp: true,
      ipConfiguration: AZURE_GATEWAY_INSTANCES.map((instance, i) => ({
        name: instance,
        publicIpAddressId: ips[i].id,
        subnetId: gatewaySubnet.id,
        privateIpAddressAllocation: "Dynamic",
      })),
      bgpSettings: {
        asn: props.asn,
        peeringAddresses: AZURE_GATEWAY_INSTANCES.map((instance, i) => ({ ipConfigurationName: instance, apipaAddresses: [...props.apipaAddresses[i]] })),
      },
    });
    this.publicAddresses = [ips[0].ipAddress, ips[1].ipAddress];

    const resolver = new PrivateDnsResolver(this, "dns-resolver", {
      name: `${name}-dns`,
      resourceGroupName: rg,
      location: props.location,
      virtualNetworkId: props.virtualNetworkId,
    });
    // The resolver's subnets are default-deny like every other: DNS in from the VNet and the
    // linked clouds on the inbound endpoint, nothing in on the outbound one (it only sends).
    const dnsSubnet = (key: "dns-inbound" | "dns-outbound", cidr: string) => {
      const created = subnet(key, `${name}-${key}`, cidr, "Microsoft.Network/dnsResolvers");
      const nsg = new NetworkSecurityGroup(this, `${key}-nsg`, { name: `${name}-${key}-nsg`, resourceGroupName: rg, location: props.location });
      const rule = (ruleName: string, priority: number, access: "Allow" | "Deny", protocol: string, sources: readonly string[] | "*", description: string) =>
        new NetworkSecurityRule(this, `${key}-${ruleName}`, {
          name: ruleName,
          priority,
          direction: "Inbound",
          access,
          protocol,
          ...(sources === "*" ? { sourceAddressPrefix: "*" } : { sourceAddressPrefixes: [...sources] }),
          sourcePortRange: "*",
          destinationAddressPrefix: "*",
          destinationPortRange: access === "Allow" ? "53" : "*",
          description,
          networkSecurityGroupName: nsg.name,
          resourceGroupName: rg,
        });
      if (key === "dns-inbound") {
        rule("allow-dns-udp", 100, "Allow", "Udp", props.dnsClientRanges, "DNS queries from the VNet and the linked clouds");
        rule("allow-dns-tcp", 110, "Allow", "Tcp", props.dnsClientRanges, "DNS queries over TCP from the VNet and the linked clouds");
      }
      rule("deny-all-inbound", 4096, "Deny", "*", "*", "Everything not allowed above");
      new SubnetNetworkSecurityGroupAssociation(this, `${key}-nsg-association`, { subnetId: created.id, networkSecurityGroupId: nsg.id });
      return created;
    };
    const inbound = new PrivateDnsResolverInboundEndpoint(this, "dns-inbound", {
      name: `${name}-dns-inbound`,
      privateDnsResolverId: resolver.id,
      location: props.location,
      ipConfigurations: { subnetId: dnsSubnet("dns-inbound", props.subnetCidrs.dnsInbound).id, privateIpAllocationMethod: "Dynamic" },
    });
    this.inboundDnsAddress = inbound.ipConfigurations.privateIpAddress;
    const outbound = new PrivateDnsResolverOutboundEndpoint(this, "dns-outbound", {
      name: `${name}-dns-outbound`,
      privateDnsResolverId: resolver.id,
      location: props.location,
      subnetId: dnsSubnet("dns-outbound", props.subnetCidrs.dnsOutbound).id,
    });
    this.forwardingRuleset = new PrivateDnsResolverDnsForwardingRuleset(this, "dns-ruleset", {
      name: `${name}-dns-forwarding`,
      resourceGroupName: rg,
      location: props.location,
      privateDnsResolverOutboundEndpointIds: [outbound.id],
    });
    new PrivateDnsResolverVirtualNetworkLink(this, "dns-ruleset-link", {
      name: `${name}-vnet`,
      dnsForwardingRulesetId: this.forwardingRuleset.id,
      virtualNetworkId: props.virtualNetworkId,
    });
  }
}
