/**
 * The GCP network of an environment: a custom-mode VPC with one regional node subnet (secondary
 * ranges for pods and services, Private Google Access, flow logs), Cloud Router + Cloud NAT for
 * egress, private service access for Cloud SQL and Memorystore, and firewall rules that deny
 * ingress by default and admit only in-VPC traffic and Google's load-balancer health checks.
 */
import { ComputeFirewall } from "@cdktf/provider-google/lib/compute-firewall";
import { ComputeGlobalAddress } from "@cdktf/provider-google/lib/compute-global-address";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork";
import { ServiceNetworkingConnection } from "@cdktf/provider-google/lib/service-networking-connection";
import { Construct } from "constructs";
import { Netmask } from "netmask";

/** Where Google's load balancers send health checks from. */
export const GOOGLE_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "130.211.0.0/22"] as const;

/** Properties for {@link GcpNetwork}. */
export interface GcpNetworkProps {
  /** Prefix of every resource name, e.g. `addtocloud-production`. */
  readonly namePrefix: string;
  readonly region: string;
  readonly nodesCidr: string;
  readonly podsCidr: string;
  readonly servicesCidr: string;
  /** Range peered to Google's service producers (Cloud SQL, Memorystore). */
  readonly privateServicesCidr: string;
  /** The GKE control plane's /28 (it reaches the nodes for webhooks and kubelet). */
  readonly masterCidr: string;
}

export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  readonly privateServices: ServiceNetworkingConnection;
  readonly privateServicesRange: ComputeGlobalAddress;

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    const name = props.namePrefix;
    this.podsRangeName = `${name}-pods`;
    this.servicesRangeName = `${name}-services`;

    this.network = new ComputeNetwork(this, "vpc", {
      name: `${name}-vpc`,
      autoCreateSubnetworks: false,
      // Global: routes the Cloud Router learns over the cross-cloud links reach every region's subnets.
      routingMode: "GLOBAL",
      description: `VPC of ${name}`,
    });
    this.subnet = new ComputeSubnetwork(this, "nodes", {
      name: `${name}-nodes`,
      region: props.region,
      network: this.network.id,
      ipCidrRange: props.nodesCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: this.podsRangeName, ipCidrRange: props.podsCidr },
        { rangeName: this.servicesRangeName, ipCidrRange: props.servicesCidr },
      ],
      logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
      description: "GKE nodes, with secondary ranges for pods and services",
    });

    const router = new ComputeRouter(this, "router", { name: `${name}-router`, region: props.region, network: this.network.id });
    new ComputeRouterNat(this, "nat", {
      name: `${name}-nat`,
      router: router.name,
      region: props.region,
      natIpAllocateOption: "AUTO_ONLY",
      sourceSubnetworkIpRangesToNat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: this.subnet.id, sourceIpRangesToNat: ["ALL_IP_RANGES"] }],
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    });

    const psa = new Netmask(props.privateServicesCidr);
    this.privateServicesRange = new ComputeGlobalAddress(this, "private-services-range", {
      name: `${name}-private-services`,
      purpose: "VPC_PEERING",
      addressType: "INTERNAL",
      address: psa.base,
      prefixLength: psa.bitmask,
      network: this.network.id,
      description: "Peered to Google's service producers (Cloud SQL, Memorystore)",
    });
    this.privateServices = new ServiceNetworkingConnection(this, "private-services", {
      network: this.network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [this.privateServicesRange.name],
    });

    // Ingress is denied unless a rule below admits it; every decision is logged.
    new ComputeFirewall(this, "deny-all-ingress", {
      name: `${name}-deny-all-ingress`,
      network: this.network.id,
      direction: "INGRESS",
      priority: 65534,
      deny: [{ protocol: "all" }],
      sourceRanges: ["0.0.0.0/0"],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      description: "Default deny: only the rules above this one admit traffic",
    });
    new ComputeFirewall(this, "allow-internal", {
      name: `${name}-allow-internal`,
      network: this.network.id,
      direction: "INGRESS",
      priority: 1000,
      allow: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
      sourceRanges: [props.nodesCidr, props.podsCidr, props.masterCidr],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      description: "Nodes, pods and the GKE control plane talk to each other",
    });
    new ComputeFirewall(this, "allow-health-checks", {
      name: `${name}-allow-health-checks`,
      network: this.network.id,
      direction: "INGRESS",
      priority: 1000,
      allow: [{ protocol: "tcp" }],
      sourceRanges: [...GOOGLE_HEALTH_CHECK_RANGES],
      logConfig: { metadata: "INCLUDE_ALL_METADATA" },
      description: "Google load-balancer health checks reach the nodes and pods",
    });
  }
}
