/**
 * The Azure side of one cross-cloud link: a local network gateway per peer endpoint (its public
 * address, BGP address and ASN) and an IPsec connection to each from the shared VPN gateway, BGP
 * on, IKEv2 only, a custom IPsec policy (AES-256-GCM, SHA-384, DH group 20/ECP384 with PFS) and
 * dead-peer detection.
 *
 * The gateway is active-active: every connection is tried from both instances, with the instance's
 * APIPA address named in `custom_bgp_addresses`. Only the instance whose public address the peer
 * expects completes the tunnel (AWS: one customer gateway per Azure instance; GCP: one tunnel per
 * instance), the layout Microsoft documents for AWS.
 */
import { LocalNetworkGateway } from "@cdktf/provider-azurerm/lib/local-network-gateway";
import { VirtualNetworkGatewayConnection } from "@cdktf/provider-azurerm/lib/virtual-network-gateway-connection";
import { Construct } from "constructs";

/** The only proposal the Azure connections accept. ECP384 is DH group 20. */
export const AZURE_IPSEC_POLICY = {
  ikeEncryption: "GCMAES256",
  ikeIntegrity: "SHA384",
  dhGroup: "ECP384",
  ipsecEncryption: "GCMAES256",
  ipsecIntegrity: "GCMAES256",
  pfsGroup: "ECP384",
  saLifetime: 27000,
  saDatasize: 102400000,
} as const;

/** Dead-peer detection timeout (Azure accepts 9-3600 s). */
export const AZURE_DPD_TIMEOUT_SECONDS = 45;

/** One peer endpoint and the BGP session behind it. */
export interface AzureTunnelSpec {
  readonly peerPublicAddress: string;
  readonly peerBgpAddress: string;
  /** Azure's APIPA addresses to use from instance 0 and instance 1 on this connection. */
  readonly customBgpAddresses: readonly [string, string];
  readonly sharedKey: string;
}

/** Properties for {@link AzureVpnConnections}. */
export interface AzureVpnConnectionsProps {
  readonly namePrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkGatewayId: string;
  readonly peerAsn: number;
  readonly tunnels: readonly AzureTunnelSpec[];
}

export class AzureVpnConnections extends Construct {
  readonly connections: VirtualNetworkGatewayConnection[] = [];

  constructor(scope: Construct, id: string, props: AzureVpnConnectionsProps) {
    super(scope, id);
    props.tunnels.forEach((spec, i) => {
      const n = i + 1;
      const local = new LocalNetworkGateway(this, `peer-${n}`, {
        name: `${props.namePrefix}-${n}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        gatewayAddress: spec.peerPublicAddress,
        // With BGP the address space is only the peer's BGP address; routes come from the session.
        bgpSettings: { asn: props.peerAsn, bgpPeeringAddress: spec.peerBgpAddress },
      });
      // The gateway serializes its operations: connections created side by side fail with
      // 409 AnotherOperationInProgress, so each one waits for the previous.
      const previous = this.connections[this.connections.length - 1];
      this.connections.push(
        new VirtualNetworkGatewayConnection(this, `connection-${n}`, {
          dependsOn: previous ? [previous] : undefined,
          name: `${props.namePrefix}-${n}`,
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          type: "IPsec",
          virtualNetworkGatewayId: props.virtualNetworkGatewayId,
          localNetworkGatewayId: local.id,
          sharedKey: spec.sharedKey,
          enableBgp: true,
          connectionProtocol: "IKEv2",
          dpdTimeoutSeconds: AZURE_DPD_TIMEOUT_SECONDS,
          customBgpAddresses: { primary: spec.customBgpAddresses[0], secondary: spec.customBgpAddresses[1] },
          ipsecPolicy: { ...AZURE_IPSEC_POLICY },
        }),
      );
    });
  }
}
