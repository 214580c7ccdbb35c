/** The AWS network stack: subnet tiers over the pinned zones, NAT, flow logs, endpoints, subnet tags. */
import { Netmask } from "netmask";
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson } from "../support/synth";

const production = synthJson(stackOf([shippedEnvironment("production")], "production-aws-network"));
const staging = synthJson(stackOf([shippedEnvironment("staging")], "staging-aws-network"));

const subnets = (json: typeof production, tier: string) =>
  Object.entries(resourcesOf(json, "aws_subnet"))
    .filter(([id]) => id.startsWith(`network_${tier}-`))
    .map(([, subnet]) => subnet as any);

describe("production-aws-network", () => {
  test("spans three availability zones pinned by zone id, skipping use1-az3 where EKS refuses control-plane subnets", () => {
    for (const tier of ["public", "private", "database"]) {
      expect(subnets(production, tier).map((s) => s.availability_zone_id)).toEqual(["use1-az1", "use1-az2", "use1-az4"]);
      for (const subnet of subnets(production, tier)) expect(subnet.availability_zone).toBeUndefined();
    }
  });

  test("configured zone ids are used as given", () => {
    const env = shippedEnvironment("production", (input) => {
      input.clouds.aws!.network.availabilityZoneIds = ["use1-az6", "use1-az5", "use1-az4"];
    });
    const json = synthJson(stackOf([env], "production-aws-network"));
    expect(subnets(json, "private").map((s) => s.availability_zone_id)).toEqual(["use1-az6", "use1-az5", "use1-az4"]);
  });

  test("every subnet lies inside the VPC CIDR and none overlap", () => {
    const vpc = new Netmask(onlyResource(production, "aws_vpc").cidr_block);
    const blocks = Object.values(resourcesOf(production, "aws_subnet")).map((s: any) => new Netmask(s.cidr_block));
    for (const block of blocks) expect(vpc.contains(block)).toBe(true);
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) expect(blocks[i].contains(blocks[j]) || blocks[j].contains(blocks[i])).toBe(false);
    }
  });

  test("has a NAT gateway per AZ in production and one in staging", () => {
    expect(Object.keys(resourcesOf(production, "aws_nat_gateway"))).toHaveLength(3);
    expect(Object.keys(resourcesOf(staging, "aws_nat_gateway"))).toHaveLength(1);
  });

  test("no subnet hands out public IPs to instances", () => {
    for (const subnet of subnets(production, "public")) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  test("database subnets have no route to the internet", () => {
    const routes = Object.entries(resourcesOf(production, "aws_route_table")).find(([id]) => id.startsWith("network_database-routes"))![1] as any;
    expect(routes.route).toBeUndefined();
  });

  test("tags subnets for EKS load balancers", () => {
    for (const subnet of subnets(production, "public")) expect(subnet.tags["kubernetes.io/role/elb"]).toBe("1");
    for (const subnet of subnets(production, "private")) expect(subnet.tags["kubernetes.io/role/internal-elb"]).toBe("1");
    for (const subnet of subnets(production, "private")) expect(subnet.tags["kubernetes.io/cluster/addtocloud-production-eks"]).toBe("shared");
  });

  test("logs all traffic to a KMS-encrypted log group kept a year", () => {
    expect(onlyResource(production, "aws_flow_log")).toMatchObject({ traffic_type: "ALL", log_destination_type: "cloud-watch-logs" });
    const group = onlyResource(production, "aws_cloudwatch_log_group");
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  test("reaches S3 through a gateway endpoint and ECR and STS through private interface endpoints", () => {
    const endpoints = Object.values(resourcesOf(production, "aws_vpc_endpoint")) as any[];
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ["com.amazonaws.us-east-1.ecr.api", "com.amazonaws.us-east-1.ecr.dkr", "com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sts"],
    );
    for (const endpoint of endpoints.filter((e) => e.vpc_endpoint_type === "Interface")) expect(endpoint.private_dns_enabled).toBe(true);
  });

  test("the default security group admits nothing", () => {
    const sg = onlyResource(production, "aws_default_security_group");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("the flow-log role may only write to its own log group", () => {
    const policy = onlyResource(production, "aws_iam_role_policy").policy as string;
    expect(policy).toContain("aws_cloudwatch_log_group.network_flow-log-group");
    expect(policy).not.toMatch(/"Resource" = "\*"/);
  });

  test("publishes the network contract, including the subnet groups the data stack uses", () => {
    expect(Object.keys(production.output ?? {})).toEqual(
      expect.arrayContaining(["vpc_id", "vpc_cidr", "private_subnet_ids", "public_subnet_ids", "database_subnet_ids", "database_subnet_group_name", "docdb_subnet_group_name", "elasticache_subnet_group_name"]),
    );
  });
});
