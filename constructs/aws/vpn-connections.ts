/**
 * The AWS side of one cross-cloud link: a customer gateway per peer address and a Transit Gateway
 * VPN connection to each (two tunnels each, so four), BGP on every tunnel, IKEv2 only with
 * AES-256-GCM, SHA2-384 and DH group 20, dead-peer detection, and tunnel and BGP logs.
 */
import { CustomerGateway } from "@cdktf/provider-aws/lib/customer-gateway";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Ec2TransitGatewayRouteTablePropagation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation";
import { VpnConnection, VpnConnectionConfig } from "@cdktf/provider-aws/lib/vpn-connection";
import { Construct } from "constructs";

/**
 * The proposal every AWS tunnel offers: nothing else is accepted. DH group 20 is ECP-384; GCM
 * needs no separate integrity algorithm in ESP, and SHA2-384 is the PRF of the IKE SA.
 */
export const AWS_TUNNEL_CRYPTO = {
  ikeVersions: ["ikev2"],
  encryption: ["AES256-GCM-16"],
  integrity: ["SHA2-384"],
  dhGroups: [20],
} as const;

/** Dead-peer detection: after 30 s without an answer the tunnel restarts its IKE negotiation. */
export const AWS_DPD = { timeoutSeconds: 30, action: "restart" } as const;

/** One tunnel: its inside /30 and its pre-shared key (a reference to a generated value). */
export interface AwsTunnelSpec {
  readonly insideCidr: string;
  readonly presharedKey: string;
}

/** Properties for {@link AwsVpnConnections}. */
export interface AwsVpnConnectionsProps {
  readonly namePrefix: string;
  readonly transitGatewayId: string;
  /** Transit Gateway table the VPN attachments are associated with (holds only the VPC). */
  readonly vpnRouteTableId: string;
  /** Transit Gateway table the VPN attachments propagate their learned routes into (the VPC's). */
  readonly vpcRouteTableId: string;
  /** The peer gateway's BGP ASN. */
  readonly peerAsn: number;
  /** The peer's two public tunnel addresses: one customer gateway and one VPN connection each. */
  readonly peerAddresses: readonly [string, string];
  /** Four tunnels, in order: connection 1 tunnels 1 and 2, then connection 2 tunnels 1 and 2. */
  readonly tunnels: readonly AwsTunnelSpec[];
  /** CloudWatch log group (CMK-encrypted) for tunnel and BGP logs. */
  readonly logGroupArn: string;
}

export class AwsVpnConnections extends Construct {
  readonly connections: VpnConnection[] = [];
  /** The four AWS tunnel endpoints, in tunnel order. */
  readonly outsideAddresses: string[] = [];

  constructor(scope: Construct, id: string, props: AwsVpnConnectionsProps) {
    super(scope, id);
    if (props.tunnels.length !== 4) throw new Error(`'tunnels' lists ${props.tunnels.length} tunnels; AWS links have 4 (two per VPN connection)`);
    const asn = String(props.peerAsn);
    // bgp_asn takes 1-2147483647; the 32-bit private range above that goes in bgp_asn_extended.
    const asnArgs = props.peerAsn > 2147483647 ? { bgpAsnExtended: asn } : { bgpAsn: asn };
    const log = {
      cloudwatchLogOptions: { logEnabled: true, logGroupArn: props.logGroupArn, logOutputFormat: "json", bgpLogEnabled: true, bgpLogGroupArn: props.logGroupArn, bgpLogOutputFormat: "json" },
    };
    props.peerAddresses.forEach((address, i) => {
      const n = i + 1;
      const gateway = new CustomerGateway(this, `customer-gateway-${n}`, {
        ...asnArgs,
        ipAddress: address,
        type: "ipsec.1",
        tags: { Name: `${props.namePrefix}-${n}` },
      });
      const [t1, t2] = [props.tunnels[2 * i], props.tunnels[2 * i + 1]];
      const tunnel = (k: 1 | 2, spec: AwsTunnelSpec): Partial<VpnConnectionConfig> => ({
        [`tunnel${k}InsideCidr`]: spec.insideCidr,
        [`tunnel${k}PresharedKey`]: spec.presharedKey,
        [`tunnel${k}IkeVersions`]: [...AWS_TUNNEL_CRYPTO.ikeVersions],
        [`tunnel${k}Phase1EncryptionAlgorithms`]: [...AWS_TUNNEL_CRYPTO.encryption],
        [`tunnel${k}Phase1IntegrityAlgorithms`]: [...AWS_TUNNEL_CRYPTO.integrity],
        [`tunnel${k}Phase1DhGroupNumbers`]: [...AWS_TUNNEL_CRYPTO.dhGroups],
        [`tunnel${k}Phase2EncryptionAlgorithms`]: [...AWS_TUNNEL_CRYPTO.encryption],
        [`tunnel${k}Phase2IntegrityAlgorithms`]: [...AWS_TUNNEL_CRYPTO.integrity],
        [`tunnel${k}Phase2DhGroupNumbers`]: [...AWS_TUNNEL_CRYPTO.dhGroups],
        [`tunnel${k}DpdTimeoutSeconds`]: AWS_DPD.timeoutSeconds,
        [`tunnel${k}DpdTimeoutAction`]: AWS_DPD.action,
        [`tunnel${k}LogOptions`]: log,
      });
      const connection = new VpnConnection(this, `connection-${n}`, {
        customerGatewayId: gateway.id,
        transitGatewayId: props.transitGatewayId,
        type: "ipsec.1",
        // BGP, never static routes.
        staticRoutesOnly: false,
        ...tunnel(1, t1),
        ...tunnel(2, t2),
        tags: { Name: `${props.namePrefix}-${n}` },
      } as VpnConnectionConfig);
      new Ec2TransitGatewayRouteTableAssociation(this, `connection-${n}-association`, {
        transitGatewayAttachmentId: connection.transitGatewayAttachmentId,
        transitGatewayRouteTableId: props.vpnRouteTableId,
      });
      new Ec2TransitGatewayRouteTablePropagation(this, `connection-${n}-propagation`, {
        transitGatewayAttachmentId: connection.transitGatewayAttachmentId,
        transitGatewayRouteTableId: props.vpcRouteTableId,
      });
      this.connections.push(connection);
      this.outsideAddresses.push(connection.tunnel1Address, connection.tunnel2Address);
    });
  }
}
