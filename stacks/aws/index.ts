/**
 * The AWS stacks of an environment: bootstrap (the S3 state bucket), network, cluster and data.
 * Each stack only picks constructs, passes config and publishes its contract.
 */
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Construct } from "constructs";
import { nativeStateStore } from "../../modules/backends";
import { AwsConfig, awsAvailabilityZoneIds } from "../../modules/config/clouds/aws";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { copySourceStackId, copyingClouds, replicationStatus } from "../../modules/config/data-roles";
import { AwsClusterContract, AwsNetworkContract, BootstrapContract, DataContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { databaseClientRanges } from "../../modules/interconnect";
import { resourceName } from "../../modules/naming";
import { DocumentDbCluster, DOCUMENTDB_PORT } from "../../constructs/aws/documentdb-cluster";
import { PostgresDatabase, POSTGRES_PORT } from "../../constructs/aws/postgres-database";
import { MONGODB_COPY_USER, ReplicationCredentials } from "../../constructs/aws/replication-credentials";
import { RedisCache, REDIS_PORT } from "../../constructs/aws/redis-cache";
import { EksCluster, NodeCapacity, NodeGroupSpec } from "../../constructs/aws/eks-cluster";
import { CustomerManagedKey } from "../../constructs/aws/kms-key";
import { awsProvider } from "../../constructs/aws/provider";
import { SecureBucket } from "../../constructs/aws/secure-bucket";
import { GithubActionsRoles } from "../../constructs/aws/github-oidc";
import { applyEnvironment, githubIdentityName, pipelineIdentitiesEnabled, publishPipelineIdentities } from "../../modules/delivery";
import { VpcNetwork } from "../../constructs/aws/vpc-network";
import type { CloudStacks } from "../types";
import { buildAwsMessaging } from "./messaging";

export function buildAwsStacks(scope: Construct, env: EnvironmentConfig): CloudStacks {
  const aws = env.clouds.aws;
  if (!aws) return {};
  const bootstrap = buildBootstrap(scope, env, aws);
  const network = buildNetwork(scope, env, aws);
  const cluster = buildCluster(scope, env, aws, network);
  const data = buildData(scope, env, aws, network, cluster);
  const messaging = buildAwsMessaging(scope, env, aws, network, cluster);
  return { bootstrap, network, cluster, data, messaging };
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
  if (pipelineIdentitiesEnabled(env)) {
    const github = new GithubActionsRoles(stack, "github-actions", {
      repository: env.delivery.github.repository,
      applyEnvironment: applyEnvironment(env),
      planRoleName: githubIdentityName(env, "aws", "plan"),
      applyRoleName: githubIdentityName(env, "aws", "apply"),
      accountId: aws.accountId,
      stateBucketArn: bucket.arn,
      stateKeyArn: key.arn,
      existingProviderArn: env.delivery.github.awsOidcProviderArn,
    });
    publishPipelineIdentities(stack, {
      github_plan_role_arn: { value: github.planRole.arn, description: "Role pull-request jobs assume to plan (repository variable AWS_PLAN_ROLE_ARN_<ENV>)" },
      github_apply_role_arn: { value: github.applyRole.arn, description: "Role the protected environment's jobs assume to apply (repository variable AWS_APPLY_ROLE_ARN_<ENV>)" },
    });
  }
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
    availabilityZoneIds: awsAvailabilityZoneIds(aws),
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
    private_route_table_ids: network.privateRouteTables.map((t) => t.id),
    database_route_table_id: network.databaseRouteTable.id,
  });
  return stack;
}

/** `<env>-aws-cluster`: EKS in the network's private subnets. */
function buildCluster(scope: Construct, env: EnvironmentConfig, aws: AwsConfig, networkStack: LayerStack): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "cluster" });
  awsProvider(stack, aws);
  const network = stack.read(AwsNetworkContract, networkStack);
  const c = aws.cluster;
  const groups: NodeGroupSpec[] = c.nodeGroups.map((group) => ({
    name: group.name,
    capacity: group.capacity === "spot" ? NodeCapacity.spot() : NodeCapacity.onDemand(),
    instanceTypes: group.instanceTypes,
    minSize: group.scaling.min,
    desiredSize: group.scaling.desired,
    maxSize: group.scaling.max,
    diskSizeGb: group.diskSizeGb,
  }));
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
    autoScalingServiceLinkedRole: aws.autoScalingServiceLinkedRole,
  });
  stack.publish(AwsClusterContract, {
    cluster_name: eks.cluster.name,
    cluster_endpoint: eks.cluster.endpoint,
    cluster_ca_certificate: eks.cluster.certificateAuthority.get(0).data,
    oidc_issuer_url: eks.oidcIssuerUrl,
    kubernetes_version: eks.cluster.version,
    region: aws.region,
    oidc_provider_arn: eks.oidcProvider.arn,
    vpc_id: network.vpc_id,
    node_security_group_id: eks.nodeSecurityGroup.id,
    cluster_security_group_id: eks.clusterSecurityGroupId,
    node_role_arn: eks.nodeRole.arn,
  });
  return stack;
}

/**
 * `<env>-aws-data`: PostgreSQL, DocumentDB, Redis and the object bucket, reachable only from the
 * cluster's nodes. Credentials stay in Secrets Manager (or IAM): the contract carries references.
 */
function buildData(scope: Construct, env: EnvironmentConfig, aws: AwsConfig, networkStack: LayerStack, clusterStack: LayerStack): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "data" });
  awsProvider(stack, aws);
  const network = stack.read(AwsNetworkContract, networkStack);
  const cluster = stack.read(AwsClusterContract, clusterStack);
  const d = aws.data;
  const prefix = resourceName(env, []);
  const protect = stack.production;
  const key = new CustomerManagedKey(stack, "data-key", {
    alias: `${prefix}-data`,
    description: `Encrypts the databases, backups, secrets and objects of ${env.name}`,
    accountId: aws.accountId,
    region: aws.region,
    allowCloudWatchLogs: true,
    preventDestroy: protect,
  });
  // The clouds whose copy of PostgreSQL these stacks build (their ranges are admitted with
  // databaseClientRanges, the interconnect's rule for every replica and backup cloud).
  const postgresCopies = d.role === "primary" ? copyingClouds(env, "postgres") : [];
  const postgres = new PostgresDatabase(stack, "postgres", {
    identifier: `${prefix}-postgres`,
    engineVersion: d.postgres.engineVersion,
    instanceClass: d.postgres.instanceClass,
    logKmsKeyArn: key.arn,
    allocatedStorageGb: d.postgres.allocatedStorageGb,
    maxAllocatedStorageGb: d.postgres.maxAllocatedStorageGb,
    kmsKeyArn: key.arn,
    vpcId: network.vpc_id,
    subnetGroupName: network.database_subnet_group_name,
    clientSecurityGroupId: cluster.node_security_group_id,
    linkedClientCidrs: databaseClientRanges(env, "aws"),
    multiAz: d.postgres.multiAz ?? stack.production,
    backupRetentionDays: d.postgres.backupRetentionDays ?? (stack.production ? 30 : 7),
    deletionProtection: true,
    preventDestroy: protect,
    logicalReplication: postgresCopies.length > 0,
  });
  // The copies in other clouds log in as a replication user whose password lives only here.
  let replication: ReplicationCredentials | undefined;
  if (postgresCopies.length > 0) {
    new RandomProvider(stack, "random");
    replication = new ReplicationCredentials(stack, "postgres-replication", {
      secretName: `${prefix}-postgres-replication`,
      kmsKeyArn: key.arn,
      version: env.dataCopies.postgres.replicationPasswordVersion,
    });
  }
  // The MongoDB copies (mongodump on GKE and AKS) log in to DocumentDB as a read-only user whose password lives only here.
  const mongodbCopies = d.role === "primary" && d.documentdb.enabled ? copyingClouds(env, "mongodb") : [];
  let mongodbCopy: ReplicationCredentials | undefined;
  if (mongodbCopies.length > 0) {
    if (!replication) new RandomProvider(stack, "random");
    mongodbCopy = new ReplicationCredentials(stack, "mongodb-copy", {
      secretName: `${prefix}-mongodb-copy`,
      kmsKeyArn: key.arn,
      version: env.dataCopies.mongodb.copyPasswordVersion,
      username: MONGODB_COPY_USER,
      description: `DocumentDB user ${MONGODB_COPY_USER} (read on the application database): the MongoDB copies in ${mongodbCopies.join(", ")} dump the primary with it`,
    });
  }
  const documentdb = d.documentdb.enabled
    ? new DocumentDbCluster(stack, "documentdb", {
        identifier: `${prefix}-docdb`,
        engineVersion: d.documentdb.engineVersion,
        instanceClass: d.documentdb.instanceClass,
        logKmsKeyArn: key.arn,
        instances: d.documentdb.instances,
        kmsKeyArn: key.arn,
        vpcId: network.vpc_id,
        subnetGroupName: network.docdb_subnet_group_name,
        clientSecurityGroupId: cluster.node_security_group_id,
        linkedClientCidrs: databaseClientRanges(env, "aws"),
        backupRetentionDays: stack.production ? 30 : 7,
        deletionProtection: true,
        preventDestroy: protect,
      })
    : undefined;
  const redis = d.redis.enabled
    ? new RedisCache(stack, "redis", {
        identifier: resourceName(env, ["redis"], 40),
        engineVersion: d.redis.engineVersion,
        nodeType: d.redis.nodeType,
        replicas: d.redis.replicas,
        kmsKeyArn: key.arn,
        logKmsKeyArn: key.arn,
        vpcId: network.vpc_id,
        subnetGroupName: network.elasticache_subnet_group_name,
        clientSecurityGroupId: cluster.node_security_group_id,
        multiAz: stack.production && d.redis.replicas > 0,
        snapshotRetentionDays: stack.production ? 7 : 1,
        preventDestroy: protect,
      })
    : undefined;
  const logs = new SecureBucket(stack, "objects-access-logs", {
    bucketName: resourceName(env, ["objects", aws.accountId, "logs"]),
    logDeliveryFromAccountId: aws.accountId,
    preventDestroy: protect,
  });
  const objects = new SecureBucket(stack, "objects", {
    bucketName: resourceName(env, ["objects", aws.accountId]),
    kmsKeyArn: key.arn,
    accessLogBucket: logs,
    preventDestroy: protect,
  });
  stack.publish(DataContract, {
    data_role: d.role,
    postgres_endpoint: postgres.instance.address,
    postgres_port: POSTGRES_PORT,
    postgres_secret_ref: postgres.masterSecretArn,
    mongodb_endpoint: documentdb ? documentdb.cluster.endpoint : "",
    mongodb_port: DOCUMENTDB_PORT,
    mongodb_secret_ref: documentdb ? documentdb.masterSecretArn : "",
    redis_endpoint: redis ? redis.group.primaryEndpointAddress : "",
    redis_port: REDIS_PORT,
    redis_secret_ref: redis ? redis.appUser.arn : "",
    object_bucket_name: objects.name,
    object_storage_endpoint: `https://s3.${aws.region}.amazonaws.com`,
    replication_source: copySourceStackId(env, "aws"),
    replication_status: replicationStatus(env, "aws"),
    postgres_replication_secret_ref: replication ? replication.secret.arn : "",
    mongodb_copy_secret_ref: mongodbCopy ? mongodbCopy.secret.arn : "",
    postgres_replication_secret_version: replication ? replication.version : 0,
    mongodb_copy_secret_version: mongodbCopy ? mongodbCopy.version : 0,
  });
  return stack;
}
