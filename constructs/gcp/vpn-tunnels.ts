/**
 * The GCP side of one cross-cloud link: the peer described as an external VPN gateway, one HA VPN
 * tunnel per peer endpoint (IKEv2), and for each a Cloud Router interface and BGP session that
 * advertises only the VPC's own ranges.
 *
 * Cloud VPN (google provider 6.50) has no cipher settings: it offers its fixed IKEv2 proposal
 * list, which includes AES-256-GCM with DH group 20, and the peer's narrower proposal (AWS and
 * Azure both pin theirs) decides what is negotiated. Cloud VPN detects dead peers itself.
 */
import { ComputeExternalVpnGateway } from "@cdktf/provider-google/lib/compute-external-vpn-gateway";
import { ComputeRouterInterface } from "@cdktf/provider-google/lib/compute-router-interface";
import { ComputeRouterPeer } from "@cdktf/provider-google/lib/compute-router-peer";
import { ComputeVpnTunnel } from "@cdktf/provider-google/lib/compute-vpn-tunnel";
import { Construct } from "constructs";

/** One tunnel: which HA VPN interface, which peer endpoint, the inside /30 addresses and the key. */
export interface GcpTunnelSpec {
  /** HA VPN gateway interface, 0 or 1. */
  readonly gatewayInterface: 0 | 1;
  /** Index into `peerAddresses`. */
  readonly peerInterface: number;
  /** GCP's BGP address with its prefix, e.g. `169.254.10.2/30`. */
  readonly localAddress: string;
  /** The peer's BGP address. */
  readonly peerAddress: string;
  readonly sharedSecret: string;
}

/** Properties for {@link GcpVpnTunnels}. */
export interface GcpVpnTunnelsProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly vpnGatewayId: string;
  readonly routerName: string;
  readonly peerAsn: number;
  /** The peer's public tunnel endpoints (2 or 4). */
  readonly peerAddresses: readonly string[];
  readonly tunnels: readonly GcpTunnelSpec[];
  /** Advertised to this peer: the VPC's own ranges. */
  readonly advertisedRanges: readonly string[];
}

export class GcpVpnTunnels extends Construct {
  readonly tunnels: ComputeVpnTunnel[] = [];
  readonly peers: ComputeRouterPeer[] = [];

  constructor(scope: Construct, id: string, props: GcpVpnTunnelsProps) {
    super(scope, id);
    const count = props.peerAddresses.length;
    if (count !== 2 && count !== 4) throw new Error(`'peerAddresses' lists ${count} addresses; an external VPN gateway has 2 or 4`);
    const peer = new ComputeExternalVpnGateway(this, "peer", {
      name: `${props.namePrefix}-peer`,
      redundancyType: count === 4 ? "FOUR_IPS_REDUNDANCY" : "TWO_IPS_REDUNDANCY",
      description: `The peer's ${count} VPN endpoints`,
      interface: props.peerAddresses.map((ipAddress, i) => ({ id: i, ipAddress })),
    });
    props.tunnels.forEach((spec, i) => {
      const n = i + 1;
      const tunnel = new ComputeVpnTunnel(this, `tunnel-${n}`, {
        name: `${props.namePrefix}-${n}`,
        region: props.region,
        vpnGateway: props.vpnGatewayId,
        vpnGatewayInterface: spec.gatewayInterface,
        peerExternalGateway: peer.id,
        peerExternalGatewayInterface: spec.peerInterface,
        router: props.routerName,
        ikeVersion: 2,
        sharedSecret: spec.sharedSecret,
      });
      const iface = new ComputeRouterInterface(this, `interface-${n}`, {
        name: `${props.namePrefix}-${n}`,
        region: props.region,
        router: props.routerName,
        ipRange: spec.localAddress,
        vpnTunnel: tunnel.name,
      });
      this.peers.push(
        new ComputeRouterPeer(this, `bgp-${n}`, {
          name: `${props.namePrefix}-${n}`,
          region: props.region,
          router: props.routerName,
          interface: iface.name,
          ipAddress: spec.localAddress.split("/")[0],
          peerIpAddress: spec.peerAddress,
          peerAsn: props.peerAsn,
          advertiseMode: "CUSTOM",
          advertisedIpRanges: props.advertisedRanges.map((range) => ({ range, description: "own range" })),
        }),
      );
      this.tunnels.push(tunnel);
    });
  }
}
