/**
 * The AWS network of an environment: a VPC over N availability zones with public, private and
 * database subnets, NAT per AZ (or one), VPC flow logs to an encrypted log group, gateway and
 * interface endpoints so nodes reach S3, ECR and STS without the internet, subnet tags for EKS
 * load balancers, and the subnet groups the data services use.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { DocdbSubnetGroup } from "@cdktf/provider-aws/lib/docdb-subnet-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { carveSubnets } from "../../modules/cidr";
import { CustomerManagedKey } from "./kms-key";
import { ServiceRole, servicePrincipalTrust } from "./service-role";

/** Interface endpoints nodes need to pull images and get IRSA credentials privately. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "sts"] as const;

/** Properties for {@link VpcNetwork}. */
export interface VpcNetworkProps {
  /** Prefix of every resource name, e.g. `addtocloud-production`. */
  readonly namePrefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly cidr: string;
  /**
   * Availability zones by zone id (`use1-az1`), one subnet of each tier per zone. Zone ids name the
   * same zone in every account; zone names (`us-east-1a`) are shuffled per account.
   */
  readonly availabilityZoneIds: readonly string[];
  /**
   * One NAT gateway per AZ (an AZ outage leaves the others' egress intact) or one for the VPC.
   * @default "per-az"
   */
  readonly natGateways?: "per-az" | "single";
  /** @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Name of the EKS cluster that will use the subnets (for the `kubernetes.io/cluster/<name>` tag). */
  readonly clusterName: string;
  /**
   * Keep the log key when the stack is destroyed.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

export class VpcNetwork extends Construct {
  readonly vpc: Vpc;
  /** The zone ids the subnets are pinned to. */
  readonly availabilityZoneIds: string[];
  /** The zone names the account maps those ids to (known after apply). */
  readonly availabilityZones: string[];
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly databaseSubnets: Subnet[] = [];
  readonly dbSubnetGroup: DbSubnetGroup;
  readonly docdbSubnetGroup: DocdbSubnetGroup;
  readonly elasticacheSubnetGroup: ElasticacheSubnetGroup;
  readonly flowLogGroup: CloudwatchLogGroup;
  /** One route table per private subnet (each zone's NAT). */
  readonly privateRouteTables: RouteTable[] = [];
  /** The database subnets' route table (no internet route). */
  readonly databaseRouteTable: RouteTable;

  constructor(scope: Construct, id: string, props: VpcNetworkProps) {
    super(scope, id);
    const azCount = props.availabilityZoneIds.length;
    const name = props.namePrefix;
    // Private subnets hold the nodes and pods (VPC CNI gives pods VPC addresses): 1/8 of the VPC each.
    // Public and database subnets only hold load balancers, NAT and database ENIs: 1/64 each.
    const plan = carveSubnets(props.cidr, [
      { name: "private", newBits: 3, count: azCount },
      { name: "public", newBits: 6, count: azCount },
      { name: "database", newBits: 6, count: azCount },
    ]);

    this.availabilityZoneIds = [...props.availabilityZoneIds];

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: `${name}-vpc` },
    });
    // The default security group admits nothing: every workload gets an explicit group.
    new DefaultSecurityGroup(this, "default-sg", { vpcId: this.vpc.id, tags: { Name: `${name}-default-deny` } });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: `${name}-igw` } });
    const publicRoutes = new RouteTable(this, "public-routes", {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: { Name: `${name}-public` },
    });
    const databaseRoutes = new RouteTable(this, "database-routes", { vpcId: this.vpc.id, tags: { Name: `${name}-database` } });
    this.databaseRouteTable = databaseRoutes;

    const natCount = (props.natGateways ?? "per-az") === "per-az" ? azCount : 1;
    const nats: NatGateway[] = [];
    const privateRouteTables = this.privateRouteTables;
    for (let i = 0; i < azCount; i++) {
      const az = this.availabilityZoneIds[i];
      const suffix = String.fromCharCode(97 + i);
      const pub = new Subnet(this, `public-${suffix}`, {
        vpcId: this.vpc.id,
        cidrBlock: plan.public[i],
        availabilityZoneId: az,
        // Load balancers get public addresses from their own config; instances never do.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${suffix}`, "kubernetes.io/role/elb": "1", [`kubernetes.io/cluster/${props.clusterName}`]: "shared" },
      });
      new RouteTableAssociation(this, `public-${suffix}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(pub);
      if (i < natCount) {
        const eip = new Eip(this, `nat-${suffix}-ip`, { domain: "vpc", tags: { Name: `${name}-nat-${suffix}` }, dependsOn: [igw] });
        nats.push(new NatGateway(this, `nat-${suffix}`, { allocationId: eip.id, subnetId: pub.id, tags: { Name: `${name}-nat-${suffix}` } }));
      }
    }
    for (let i = 0; i < azCount; i++) {
      const az = this.availabilityZoneIds[i];
      const suffix = String.fromCharCode(97 + i);
      const priv = new Subnet(this, `private-${suffix}`, {
        vpcId: this.vpc.id,
        cidrBlock: plan.private[i],
        availabilityZoneId: az,
        tags: { Name: `${name}-private-${suffix}`, "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${props.clusterName}`]: "shared" },
      });
      // No inline `route` blocks: an inline list is authoritative, so the next apply of this stack
      // would delete the routes other stacks add to the table (the gateway stack's Transit Gateway
      // routes to the linked clouds). Every route of a shared table is its own resource.
      const routes = new RouteTable(this, `private-${suffix}-routes`, {
        vpcId: this.vpc.id,
        tags: { Name: `${name}-private-${suffix}` },
      });
      new Route(this, `private-${suffix}-default-route`, {
        routeTableId: routes.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
      });
      new RouteTableAssociation(this, `private-${suffix}-association`, { subnetId: priv.id, routeTableId: routes.id });
      privateRouteTables.push(routes);
      this.privateSubnets.push(priv);

      // Database subnets have no route to the internet at all.
      const db = new Subnet(this, `database-${suffix}`, {
        vpcId: this.vpc.id,
        cidrBlock: plan.database[i],
        availabilityZoneId: az,
        tags: { Name: `${name}-database-${suffix}` },
      });
      new RouteTableAssociation(this, `database-${suffix}-routes`, { subnetId: db.id, routeTableId: databaseRoutes.id });
      this.databaseSubnets.push(db);
    }

    this.availabilityZones = this.privateSubnets.map((subnet) => subnet.availabilityZone);

    // Flow logs of all traffic to a KMS-encrypted log group.
    const logKey = new CustomerManagedKey(this, "log-key", {
      alias: `${name}-vpc-flow-logs`,
      description: `Encrypts the VPC flow logs of ${name}`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
      preventDestroy: props.preventDestroy,
    });
    this.flowLogGroup = new CloudwatchLogGroup(this, "flow-log-group", {
      name: `/aws/vpc/${name}/flow-logs`,
      retentionInDays: props.flowLogRetentionDays ?? 365,
      kmsKeyId: logKey.arn,
    });
    const flowLogRole = new ServiceRole(this, "flow-log-role", {
      roleName: `${name}-vpc-flow-logs`,
      description: "Lets VPC flow logs write to their log group",
      assumeRolePolicy: servicePrincipalTrust("vpc-flow-logs.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": props.accountId },
      }),
      statements: [
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [this.flowLogGroup.arn, `${this.flowLogGroup.arn}:*`],
        },
      ],
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
    });

    // S3 through a gateway endpoint (free, no NAT traffic); ECR and STS through interface endpoints.
    new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...privateRouteTables.map((t) => t.id), databaseRoutes.id],
      tags: { Name: `${name}-s3` },
    });
    const endpointSg = new SecurityGroup(this, "endpoint-sg", {
      name: `${name}-vpc-endpoints`,
      description: "HTTPS from inside the VPC to the interface endpoints",
      vpcId: this.vpc.id,
      ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [props.cidr] }],
      tags: { Name: `${name}-vpc-endpoints` },
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new VpcEndpoint(this, `${service.replace(".", "-")}-endpoint`, {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: this.privateSubnets.map((s) => s.id),
        securityGroupIds: [endpointSg.id],
        tags: { Name: `${name}-${service}` },
      });
    }

    const databaseSubnetIds = this.databaseSubnets.map((s) => s.id);
    this.dbSubnetGroup = new DbSubnetGroup(this, "db-subnets", {
      name: `${name}-database`,
      description: "Database subnets of the VPC (no internet route)",
      subnetIds: databaseSubnetIds,
    });
    this.docdbSubnetGroup = new DocdbSubnetGroup(this, "docdb-subnets", {
      name: `${name}-docdb`,
      description: "Database subnets of the VPC (no internet route)",
      subnetIds: databaseSubnetIds,
    });
    this.elasticacheSubnetGroup = new ElasticacheSubnetGroup(this, "elasticache-subnets", {
      name: `${name}-cache`,
      description: "Database subnets of the VPC (no internet route)",
      subnetIds: databaseSubnetIds,
    });
  }
}
