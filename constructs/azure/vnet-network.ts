/**
 * The Azure network of an environment: a resource group, a VNet carved into subnets for AKS nodes,
 * the Application Gateway, private endpoints and the delegated PostgreSQL subnet; an NSG on every
 * subnet; a NAT gateway for the nodes' egress (no default outbound access anywhere); private DNS
 * zones for PostgreSQL and every private-endpoint service, linked to the VNet.
 */
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { NetworkSecurityRule, NetworkSecurityRuleConfig } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Construct } from "constructs";
import { Netmask } from "netmask";
import { carveSubnets } from "../../modules/cidr";

/** Private DNS zones of the private-endpoint services, by service. */
export const PRIVATE_LINK_ZONES = {
  mongo: "privatelink.mongo.cosmos.azure.com",
  redis: "privatelink.redis.cache.windows.net",
  vault: "privatelink.vaultcore.azure.net",
  blob: "privatelink.blob.core.windows.net",
} as const;
export type PrivateLinkService = keyof typeof PRIVATE_LINK_ZONES;

/** Ports the clusters' public ingress serves: HTTPS for the edge (full strict TLS), 15443 for the mesh's east-west gateway. */
export const INGRESS_PORTS = ["443", "15443"];

/** Properties for {@link VnetNetwork}. */
export interface VnetNetworkProps {
  /** `<project>-<env>`: prefix of every name. */
  readonly namePrefix: string;
  readonly location: string;
  readonly cidr: string;
  /**
   * Pod range of Azure CNI overlay. Overlay pods keep their own addresses between nodes (no SNAT
   * inside the VNet), so the nodes' NSG must admit this range on every protocol, or pod-to-pod
   * traffic and cluster DNS (CoreDNS on UDP 53) are dropped by the deny-all rule.
   * @default none: no overlay rule (a cluster on this network then needs one)
   */
  readonly podCidr?: string;
  /** Refuse to destroy the resource group and VNet. @default false */
  readonly preventDestroy?: boolean;
}

type SubnetName = "nodes" | "appgw" | "endpoints" | "postgres";
/** One inbound rule, before the NSG it belongs to is known. */
type Rule = Omit<NetworkSecurityRuleConfig, "networkSecurityGroupName" | "resourceGroupName">;

export class VnetNetwork extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly vnet: VirtualNetwork;
  readonly subnets: Record<SubnetName, Subnet>;
  readonly subnetCidrs: Record<SubnetName, string>;
  readonly postgresDnsZone: PrivateDnsZone;
  readonly privateLinkZones: Record<PrivateLinkService, PrivateDnsZone>;
  readonly natPublicIp: PublicIp;

  constructor(scope: Construct, id: string, props: VnetNetworkProps) {
    super(scope, id);
    const plan = vnetSubnetPlan(props.cidr);
    this.subnetCidrs = { nodes: plan.nodes, appgw: plan.appgw, endpoints: plan.endpoints, postgres: plan.postgres };
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: props.namePrefix, location: props.location, lifecycle });
    const rg = this.resourceGroup.name;
    this.vnet = new VirtualNetwork(this, "vnet", {
      name: `${props.namePrefix}-vnet`,
      resourceGroupName: rg,
      location: props.location,
      addressSpace: [props.cidr],
      lifecycle,
    });

    const subnet = (name: SubnetName, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) =>
      new Subnet(this, `${name}-subnet`, {
        name: `${props.namePrefix}-${name}`,
        resourceGroupName: rg,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [this.subnetCidrs[name]],
        defaultOutboundAccessEnabled: false,
        ...extra,
      });
    this.subnets = {
      nodes: subnet("nodes"),
      appgw: subnet("appgw"),
      endpoints: subnet("endpoints", { privateEndpointNetworkPolicies: "Enabled" }),
      postgres: subnet("postgres", {
        delegation: [
          {
            name: "postgres-flexible",
            serviceDelegation: { name: "Microsoft.DBforPostgreSQL/flexibleServers", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] },
          },
        ],
      }),
    };

    const rules: Record<SubnetName, Rule[]> = {
      nodes: [
        allow(100, "ingress-from-internet", "Internet", INGRESS_PORTS, "The ingress and east-west gateways' load balancers (Cloudflare, other clusters)"),
        allow(110, "azure-load-balancer", "AzureLoadBalancer", ["*"], "Load balancer health probes"),
        allow(120, "vnet", "VirtualNetwork", ["*"], "Nodes, Application Gateway and control plane inside the VNet"),
        // Azure CNI overlay's NSG requirements: node to node and pod to pod on all ports and protocols.
        allow(130, "nodes", this.subnetCidrs.nodes, ["*"], "Node to node on every protocol (kubelet, tunnels, hostNetwork DNS)", "*"),
        ...(props.podCidr
          ? [allow(140, "pods", props.podCidr, ["*"], "Overlay pods to pods and nodes on every protocol, cluster DNS (UDP/TCP 53) among it", "*")]
          : []),
      ],
      appgw: [
        allow(100, "gateway-manager", "GatewayManager", ["65200-65535"], "Application Gateway v2 infrastructure (required)"),
        allow(110, "azure-load-balancer", "AzureLoadBalancer", ["*"], "Load balancer health probes"),
        allow(120, "https-from-internet", "Internet", ["443"], "Public HTTPS listeners"),
      ],
      endpoints: [allow(100, "vnet", "VirtualNetwork", ["443", "6380", "10255"], "Clients in the VNet to Key Vault, storage, Redis (TLS) and Cosmos DB")],
      postgres: [allow(100, "postgres-from-nodes", this.subnetCidrs.nodes, ["5432"], "PostgreSQL from the AKS nodes only")],
    };
    for (const name of Object.keys(this.subnets) as SubnetName[]) {
      const nsg = new NetworkSecurityGroup(this, `${name}-nsg`, {
        name: `${props.namePrefix}-${name}-nsg`,
        resourceGroupName: rg,
        location: props.location,
      });
      // Separate rule resources: the inline `security_rule` list is all-or-nothing in Terraform.
      for (const rule of [...rules[name], deny(4096, "deny-all-inbound", "Everything not allowed above")]) {
        new NetworkSecurityRule(this, `${name}-${rule.name}`, { ...rule, networkSecurityGroupName: nsg.name, resourceGroupName: rg });
      }
      new SubnetNetworkSecurityGroupAssociation(this, `${name}-nsg-association`, { subnetId: this.subnets[name].id, networkSecurityGroupId: nsg.id });
    }

    this.natPublicIp = new PublicIp(this, "nat-ip", {
      name: `${props.namePrefix}-nat-ip`,
      resourceGroupName: rg,
      location: props.location,
      allocationMethod: "Static",
      sku: "Standard",
      zones: ["1", "2", "3"],
    });
    const nat = new NatGateway(this, "nat", {
      name: `${props.namePrefix}-nat`,
      resourceGroupName: rg,
      location: props.location,
      skuName: "Standard",
      idleTimeoutInMinutes: 10,
    });
    new NatGatewayPublicIpAssociation(this, "nat-ip-association", { natGatewayId: nat.id, publicIpAddressId: this.natPublicIp.id });
    new SubnetNatGatewayAssociation(this, "nodes-nat", { subnetId: this.subnets.nodes.id, natGatewayId: nat.id });

    const zone = (key: string, name: string) => {
      const z = new PrivateDnsZone(this, `${key}-zone`, { name, resourceGroupName: rg });
      new PrivateDnsZoneVirtualNetworkLink(this, `${key}-zone-link`, {
        name: `${props.namePrefix}-${key}`,
        resourceGroupName: rg,
        privateDnsZoneName: z.name,
        virtualNetworkId: this.vnet.id,
        registrationEnabled: false,
      });
      return z;
    };
    this.postgresDnsZone = zone("postgres", `${props.namePrefix}.private.postgres.database.azure.com`);
    this.privateLinkZones = {
      mongo: zone("mongo", PRIVATE_LINK_ZONES.mongo),
      redis: zone("redis", PRIVATE_LINK_ZONES.redis),
      vault: zone("vault", PRIVATE_LINK_ZONES.vault),
      blob: zone("blob", PRIVATE_LINK_ZONES.blob),
    };
  }
}

/**
 * The VNet's subnet plan. Nodes get a quarter of the VNet (pods live on the overlay, not in it);
 * Application Gateway, private endpoints and PostgreSQL a /24 each; after them the subnets of the
 * gateway stack (`<env>-azure-gateway`): `GatewaySubnet` (/27, the size Azure recommends for
 * active-active gateways) and the DNS resolver's inbound and outbound endpoints (/28 each).
 */
export function vnetSubnetPlan(cidr: string): Record<"nodes" | "appgw" | "endpoints" | "postgres" | "gateway" | "dnsInbound" | "dnsOutbound", string> {
  const prefix = new Netmask(cidr).bitmask;
  const plan = carveSubnets(cidr, [
    { name: "nodes", newBits: 2, count: 1 },
    { name: "appgw", newBits: 24 - prefix, count: 1 },
    { name: "endpoints", newBits: 24 - prefix, count: 1 },
    { name: "postgres", newBits: 24 - prefix, count: 1 },
    { name: "gateway", newBits: 27 - prefix, count: 1 },
    { name: "dnsInbound", newBits: 28 - prefix, count: 1 },
    { name: "dnsOutbound", newBits: 28 - prefix, count: 1 },
  ]);
  return {
    nodes: plan.nodes[0],
    appgw: plan.appgw[0],
    endpoints: plan.endpoints[0],
    postgres: plan.postgres[0],
    gateway: plan.gateway[0],
    dnsInbound: plan.dnsInbound[0],
    dnsOutbound: plan.dnsOutbound[0],
  };
}

function allow(priority: number, name: string, source: string, ports: string[], description: string, protocol: "Tcp" | "*" = "Tcp"): Rule {
  return {
    name: `allow-${name}`,
    priority,
    direction: "Inbound",
    access: "Allow",
    protocol,
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
    description,
  };
}

function deny(priority: number, name: string, description: string): Rule {
  return {
    name,
    priority,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
    description,
  };
}
