/**
 * The AWS stacks of an environment: bootstrap (the S3 state bucket), network, cluster and data.
 * Each stack only picks constructs, passes config and publishes its contract.
 */
import { Construct } from "constructs";
import { nativeStateStore } from "../../modules/backends";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { AwsClusterContract, AwsNetworkContract, BootstrapContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import { EksCluster, NodeCapacity, NodeGroupSpec } from "../../constructs/aws/eks-cluster";
import { CustomerManagedKey } from "../../constructs/aws/kms-key";
import { awsProvider } from "../../constructs/aws/provider";
import { SecureBucket } from "../../constructs/aws/secure-bucket";
import { VpcNetwork } from "../../constructs/aws/vpc-network";
import type { CloudStacks } from "../types";

export function buildAwsStacks(scope: Construct, env: EnvironmentConfig): CloudStacks {
  const aws = env.clouds.aws;
  if (!aws) return {};
  const bootstrap = buildBootstrap(scope, env, aws);
  const network = buildNetwork(scope, env, aws);
  const cluster = buildCluster(scope, env, aws, network);
  return { bootstrap, network, cluster };
}

/** The name of the environment's EKS cluster (the network tags its subnets with it). */
export function eksClusterName(env: EnvironmentConfig): string {
  return resourceName(env, ["eks"], 100);
}

/** `<env>-aws-bootstrap`: the state bucket every other AWS stack uses under `native` state. */
function buildBootstrap(scope: Construct, env: EnvironmentConfig, aws: AwsConfig): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "bootstrap" });
  awsProvider(stack, aws);
  const store = nativeStateStore(env, "aws");
  // Losing the state bucket loses track of every resource: it is kept on destroy in every stage.
  const key = new CustomerManagedKey(stack, "state-key", {
    alias: resourceName(env, ["tfstate"]),
    description: `Encrypts the Terraform state of ${env.name}`,
    accountId: aws.accountId,
    region: aws.region,
    preventDestroy: true,
  });
  const logs = new SecureBucket(stack, "state-access-logs", {
    bucketName: resourceName(env, ["tfstate", aws.accountId, "logs"]),
    logDeliveryFromAccountId: aws.accountId,
    preventDestroy: true,
  });
  const bucket = new SecureBucket(stack, "state-bucket", {
    bucketName: store.bucket,
    kmsKeyArn: key.arn,
    accessLogBucket: logs,
    // State history is how a bad apply is undone: keep old versions for a year.
    noncurrentVersionExpirationDays: 365,
    preventDestroy: true,
  });
  stack.publish(BootstrapContract, { state_bucket: bucket.name, state_encryption_key: key.arn });
  return stack;
}

/** `<env>-aws-network`. */
function buildNetwork(scope: Construct, env: EnvironmentConfig, aws: AwsConfig): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "network" });
  awsProvider(stack, aws);
  const network = new VpcNetwork(stack, "network", {
    namePrefix: resourceName(env, []),
    accountId: aws.accountId,
    region: aws.region,
    cidr: aws.network.cidr,
    azCount: aws.network.azCount,
    natGateways: aws.network.natGateways ?? (stack.production ? "per-az" : "single"),
    flowLogRetentionDays: aws.network.flowLogRetentionDays,
    clusterName: eksClusterName(env),
    preventDestroy: stack.production,
  });
  stack.publish(AwsNetworkContract, {
    vpc_id: network.vpc.id,
    vpc_cidr: network.vpc.cidrBlock,
    private_subnet_ids: network.privateSubnets.map((s) => s.id),
    public_subnet_ids: network.publicSubnets.map((s) => s.id),
    database_subnet_ids: network.databaseSubnets.map((s) => s.id),
    region: aws.region,
    availability_zones: network.availabilityZones,
    database_subnet_group_name: network.dbSubnetGroup.name,
    elasticache_subnet_group_name: network.elasticacheSubnetGroup.name,
    docdb_subnet_group_name: network.docdbSubnetGroup.name,
    flow_log_group_name: network.flowLogGroup.name,
  });
  return stack;
}

/** `<env>-aws-cluster`: EKS in the network's private subnets. */
function buildCluster(scope: Construct, env: EnvironmentConfig, aws: AwsConfig, networkStack: LayerStack): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "cluster" });
  awsProvider(stack, aws);
  const network = stack.read(AwsNetworkContract, networkStack);
  const c = aws.cluster;
  const groups: NodeGroupSpec[] = [{ capacity: NodeCapacity.onDemand(), instanceTypes: c.onDemand.instanceTypes, ...sizes(c.onDemand) }];
  if (c.spot) groups.push({ capacity: NodeCapacity.spot(), instanceTypes: c.spot.instanceTypes, ...sizes(c.spot) });
  const eks = new EksCluster(stack, "eks", {
    clusterName: eksClusterName(env),
    accountId: aws.accountId,
    region: aws.region,
    kubernetesVersion: c.kubernetesVersion,
    vpcId: network.vpc_id,
    subnetIds: network.private_subnet_ids,
    publicAccessCidrs: c.publicAccessCidrs,
    adminPrincipalArns: c.adminPrincipalArns,
    nodeGroups: groups,
    logRetentionDays: c.logRetentionDays,
    deletionProtection: stack.production,
  });
  stack.publish(AwsClusterContract, {
    cluster_name: eks.cluster.name,
    cluster_endpoint: eks.cluster.endpoint,
    cluster_ca_certificate: eks.cluster.certificateAuthority.get(0).data,
    oidc_issuer_url: eks.oidcIssuerUrl,
    kubernetes_version: eks.cluster.version,
    region: aws.region,
    oidc_provider_arn: eks.oidcProvider.arn,
    node_security_group_id: eks.nodeSecurityGroup.id,
    cluster_security_group_id: eks.clusterSecurityGroupId,
    node_role_arn: eks.nodeRole.arn,
  });
  return stack;
}

function sizes(group: AwsConfig["cluster"]["onDemand"]) {
  return { minSize: group.scaling.min, desiredSize: group.scaling.desired, maxSize: group.scaling.max, diskSizeGb: group.diskSizeGb };
}
