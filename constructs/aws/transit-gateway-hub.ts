/**
 * The AWS end of every cross-cloud link: a Transit Gateway attached to the VPC, the VPC's private
 * and database route tables sending the peers' ranges to it, Route 53 Resolver endpoints for DNS
 * across the clouds, and the encrypted log group the VPN tunnels write to.
 *
 * Two Transit Gateway route tables keep AWS from becoming a transit between the other clouds: VPN
 * attachments are associated with `vpn`, into which only the VPC propagates (so a peer learns the
 * VPC and nothing else); the VPC attachment is associated with `vpc`, into which the VPN
 * attachments propagate what their BGP sessions learn.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Ec2TransitGateway } from "@cdktf/provider-aws/lib/ec2-transit-gateway";
import { Ec2TransitGatewayRouteTable } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table";
import { Ec2TransitGatewayRouteTableAssociation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association";
import { Ec2TransitGatewayRouteTablePropagation } from "@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation";
import { Ec2TransitGatewayVpcAttachment } from "@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment";
import { Route } from "@cdktf/provider-aws/lib/route";
import { Route53ResolverEndpoint } from "@cdktf/provider-aws/lib/route53-resolver-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { CustomerManagedKey } from "./kms-key";

/** Properties for {@link TransitGatewayHub}. */
export interface TransitGatewayHubProps {
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The Transit Gateway's BGP ASN (AWS side of every tunnel). */
  readonly asn: number;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** One subnet per zone for the attachment and the resolver endpoints (the private subnets). */
  readonly subnetIds: string[];
  /**
   * `ip_address` entries of each resolver endpoint, one per subnet of `subnetIds` in turn (a token
   * list's length is unknown at synth): `dnsResolverAddressCount(env, "aws")`.
   */
  readonly resolverAddressCount: number;
  /** Route tables that must reach the peers: the private ones and the database one. */
  readonly routeTableIds: string[];
  /** How many route tables `routeTableIds` holds. */
  readonly routeTableCount: number;
  /** Every range of every linked peer: routed to the Transit Gateway, admitted to the DNS endpoints. */
  readonly peerRanges: readonly string[];
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class TransitGatewayHub extends Construct {
  readonly transitGateway: Ec2TransitGateway;
  /** The table VPN attachments are associated with: holds only the VPC's routes. */
  readonly vpnRouteTable: Ec2TransitGatewayRouteTable;
  /** The table the VPC attachment is associated with: VPN attachments propagate into it. */
  readonly vpcRouteTable: Ec2TransitGatewayRouteTable;
  readonly inboundResolver: Route53ResolverEndpoint;
  readonly outboundResolver: Route53ResolverEndpoint;
  /** Addresses of the inbound resolver endpoint, where peers forward queries for AWS names. */
  readonly inboundResolverAddresses: string[];
  readonly vpnLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: TransitGatewayHubProps) {
    super(scope, id);
    const name = props.namePrefix;
    this.transitGateway = new Ec2TransitGateway(this, "tgw", {
      description: `Cross-cloud links of ${name}`,
      amazonSideAsn: props.asn,
      // Every attachment is associated and propagated explicitly (see the class comment).
      defaultRouteTableAssociation: "disable",
      defaultRouteTablePropagation: "disable",
      autoAcceptSharedAttachments: "disable",
      dnsSupport: "enable",
      // Both tunnels of a VPN connection carry traffic (equal-cost multipath).
      vpnEcmpSupport: "enable",
      tags: { Name: `${name}-tgw` },
    });
    this.vpnRouteTable = new Ec2TransitGatewayRouteTable(this, "vpn-routes", { transitGatewayId: this.transitGateway.id, tags: { Name: `${name}-tgw-vpn` } });
    this.vpcRouteTable = new Ec2TransitGatewayRouteTable(this, "vpc-routes", { transitGatewayId: this.transitGateway.id, tags: { Name: `${name}-tgw-vpc` } });
    const attachment = new Ec2TransitGatewayVpcAttachment(this, "vpc-attachment", {
      transitGatewayId: this.transitGateway.id,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      dnsSupport: "enable",
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: { Name: `${name}-vpc` },
    });
    new Ec2TransitGatewayRouteTableAssociation(this, "vpc-association", { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: this.vpcRouteTable.id });
    new Ec2TransitGatewayRouteTablePropagation(this, "vpc-propagation", { transitGatewayAttachmentId: attachment.id, transitGatewayRouteTableId: this.vpnRouteTable.id });

    // VPC route tables cannot learn routes from a Transit Gateway: each peer range gets a static
    // route in every private and database table. Nothing else (never 0.0.0.0/0) goes to the link.
    for (let t = 0; t < props.routeTableCount; t++) {
      props.peerRanges.forEach((range, r) => {
        new Route(this, `route-${t}-${r}`, {
          routeTableId: Fn.element(props.routeTableIds, t),
          destinationCidrBlock: range,
          transitGatewayId: this.transitGateway.id,
          dependsOn: [attachment],
        });
      });
    }

    const dnsGroup = new SecurityGroup(this, "resolver-sg", {
      name: `${name}-dns-resolver`,
      description: "DNS between the VPC and the linked clouds' resolvers",
      vpcId: props.vpcId,
      ingress: [
        { description: "DNS over UDP from the VPC and the linked clouds", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: [props.vpcCidr, ...props.peerRanges] },
        { description: "DNS over TCP from the VPC and the linked clouds", protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks: [props.vpcCidr, ...props.peerRanges] },
      ],
      egress: [
        { description: "DNS over UDP to the linked clouds' resolvers", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: [...props.peerRanges] },
        { description: "DNS over TCP to the linked clouds' resolvers", protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks: [...props.peerRanges] },
      ],
      tags: { Name: `${name}-dns-resolver` },
    });
    const ips = Array.from({ length: props.resolverAddressCount }, (_, i) => ({ subnetId: Fn.element(props.subnetIds, i) }));
    this.inboundResolver = new Route53ResolverEndpoint(this, "inbound-resolver", {
      name: `${name}-inbound`,
      direction: "INBOUND",
      securityGroupIds: [dnsGroup.id],
      ipAddress: ips,
      protocols: ["Do53"],
      tags: { Name: `${name}-inbound` },
    });
    this.outboundResolver = new Route53ResolverEndpoint(this, "outbound-resolver", {
      name: `${name}-outbound`,
      direction: "OUTBOUND",
      securityGroupIds: [dnsGroup.id],
      ipAddress: ips,
      protocols: ["Do53"],
      tags: { Name: `${name}-outbound` },
    });
    this.inboundResolverAddresses = Token.asList(`\${[for a in ${this.inboundResolver.fqn}.ip_address : a.ip]}`);

    const logKey = new CustomerManagedKey(this, "log-key", {
      alias: `${name}-vpn-logs`,
      description: `Encrypts the VPN tunnel logs of ${name}`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
      preventDestroy: props.preventDestroy,
    });
    this.vpnLogGroup = new CloudwatchLogGroup(this, "vpn-log-group", {
      name: `/aws/vpn/${name}`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: logKey.arn,
    });
  }
}
