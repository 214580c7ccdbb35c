/**
 * The GCP end of every cross-cloud link: an HA VPN gateway (two interfaces, two public addresses)
 * and a Cloud Router whose BGP sessions advertise only the VPC's own ranges, plus the Cloud DNS
 * inbound server policy where the other clouds forward queries for GCP's private names.
 * The gateway and router serve every peer; the tunnels and BGP sessions belong to the link stacks.
 */
import { ComputeHaVpnGateway } from "@cdktf/provider-google/lib/compute-ha-vpn-gateway";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router";
import { DataGoogleComputeAddresses } from "@cdktf/provider-google/lib/data-google-compute-addresses";
import { DnsPolicy } from "@cdktf/provider-google/lib/dns-policy";
import { Token } from "cdktf";
import { Construct } from "constructs";

/** Properties for {@link HaVpnHub}. */
export interface HaVpnHubProps {
  readonly namePrefix: string;
  readonly region: string;
  /** Self link (or id) of the VPC network. */
  readonly networkId: string;
  readonly asn: number;
  /** The ranges advertised to every peer instead of the router's defaults. */
  readonly advertisedRanges: readonly string[];
}

export class HaVpnHub extends Construct {
  readonly gateway: ComputeHaVpnGateway;
  readonly router: ComputeRouter;
  /** The two public addresses of the gateway's interfaces 0 and 1. */
  readonly interfaceAddresses: [string, string];
  /** Addresses of the Cloud DNS inbound forwarders in the region. */
  readonly inboundDnsAddresses: string[];

  constructor(scope: Construct, id: string, props: HaVpnHubProps) {
    super(scope, id);
    const name = props.namePrefix;
    this.gateway = new ComputeHaVpnGateway(this, "gateway", {
      name: `${name}-ha-vpn`,
      region: props.region,
      network: props.networkId,
      stackType: "IPV4_ONLY",
    });
    this.router = new ComputeRouter(this, "router", {
      name: `${name}-vpn-router`,
      region: props.region,
      network: props.networkId,
      description: "BGP for the cross-cloud links",
      bgp: {
        asn: props.asn,
        // Custom: only the VPC's own ranges, never the default "all subnets" nor a default route.
        advertiseMode: "CUSTOM",
        advertisedIpRanges: props.advertisedRanges.map((range) => ({ range, description: "own range" })),
        keepaliveInterval: 20,
      },
    });
    this.interfaceAddresses = [this.gateway.vpnInterfaces.get(0).ipAddress, this.gateway.vpnInterfaces.get(1).ipAddress];

    const policy = new DnsPolicy(this, "inbound-dns", {
      name: `${name}-inbound-dns`,
      description: "Lets the linked clouds resolve this VPC's private names",
      enableInboundForwarding: true,
      enableLogging: true,
      networks: [{ networkUrl: props.networkId }],
    });
    // Cloud DNS reserves the inbound forwarders' addresses in each subnet region with purpose
    // DNS_RESOLVER; the policy itself does not export them.
    const forwarders = new DataGoogleComputeAddresses(this, "inbound-dns-addresses", {
      region: props.region,
      filter: 'purpose="DNS_RESOLVER"',
      dependsOn: [policy],
    });
    this.inboundDnsAddresses = Token.asList(`\${[for a in ${forwarders.fqn}.addresses : a.address]}`);
  }
}
