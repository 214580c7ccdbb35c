/**
 * `<env>-gcp-data`: Cloud SQL PostgreSQL, Memorystore Redis, MongoDB Atlas (where an Atlas
 * organisation is configured) and the object bucket. Passwords live in Secret Manager; the contract
 * carries the secrets' ids.
 */
import { MongodbatlasProvider } from "@cdktf/provider-mongodbatlas/lib/provider";
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Construct } from "constructs";
import { AtlasMongoDb, MONGODB_PORT } from "../../constructs/gcp/atlas-mongodb";
import { CLOUD_SQL_POSTGRES_PORT, CloudSqlPostgres } from "../../constructs/gcp/cloud-sql-postgres";
import { CryptoKey } from "../../constructs/gcp/crypto-key";
import { MEMORYSTORE_TLS_PORT, MemorystoreRedis } from "../../constructs/gcp/memorystore-redis";
import { GcsBucket } from "../../constructs/gcp/secure-bucket";
import { ServiceAgents } from "../../constructs/gcp/service-agents";
import { ATLAS_GCP_REGIONS, GcpConfig } from "../../modules/config/clouds/gcp";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { copySourceStackId, copyingClouds, replicationStatus } from "../../modules/config/data-roles";
import { GcpClusterContract, GcpDataContract, GcpNetworkContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import { mongodbRefreshAccess, objectCopy, postgresReplica, readPrimary } from "./copies";
import { gcpStack } from "./stack";

/**
 * @param primaryData the data stack of the primary on AWS, when this cloud's Cloud SQL replicates it
 */
export function buildGcpData(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig, networkStack: LayerStack, clusterStack: LayerStack, primaryData?: LayerStack): LayerStack {
  const stack = gcpStack(scope, env, gcp, "data");
  new RandomProvider(stack, "random");
  const network = stack.read(GcpNetworkContract, networkStack);
  const agents = new ServiceAgents(stack, "agents", gcp.projectId);
  const d = gcp.data;
  const prefix = resourceName(env, []);
  const protect = stack.production;
  const key = new CryptoKey(stack, "data-key", {
    keyRingName: resourceName(env, ["data"]),
    keyName: "data",
    location: gcp.region,
    encrypterDecrypters: [agents.email("cloud-sql"), agents.email("memorystore"), agents.email("storage"), agents.email("secret-manager")],
  });

  // The copies of the AWS primary this cloud keeps (docs/data-across-clouds.md).
  const replicates = primaryData !== undefined && copyingClouds(env, "postgres").includes("gcp");
  const copiesObjects = primaryData !== undefined && copyingClouds(env, "objects").includes("gcp");
  const copiesMongodb = primaryData !== undefined && d.mongodbAtlas !== undefined && copyingClouds(env, "mongodb").includes("gcp");
  const primary = primaryData && env.clouds.aws && (replicates || copiesObjects || copiesMongodb) ? readPrimary(stack, env.clouds.aws, primaryData) : undefined;
  const postgres = new CloudSqlPostgres(stack, "postgres", {
    instanceName: `${prefix}-postgres`,
    region: gcp.region,
    databaseVersion: d.postgres.version,
    tier: d.postgres.tier,
    diskSizeGb: d.postgres.diskSizeGb,
    networkId: network.vpc_id,
    kmsKeyId: key.id,
    sslMode: d.postgres.sslMode,
    highAvailability: d.postgres.highAvailability ?? stack.production,
    readReplica: d.postgres.readReplica ?? stack.production,
    backupRetentionCount: d.postgres.backupRetentionCount ?? (stack.production ? 30 : 7),
    preventDestroy: protect,
    migrationDestination: replicates,
  });
  const replica =
    replicates && primary && env.clouds.aws
      ? postgresReplica(stack, primary, { aws: env.clouds.aws, gcp, network: { vpcId: network.vpc_id }, destination: postgres })
      : undefined;
  const redis = d.redis.enabled
    ? new MemorystoreRedis(stack, "redis", {
        instanceName: `${prefix}-redis`,
        region: gcp.region,
        networkId: network.vpc_id,
        memorySizeGb: d.redis.memorySizeGb,
        tier: d.redis.tier ?? (stack.production ? "STANDARD_HA" : "BASIC"),
        kmsKeyId: key.id,
        preventDestroy: protect,
      })
    : undefined;
  let mongodb: AtlasMongoDb | undefined;
  if (d.mongodbAtlas) {
    new MongodbatlasProvider(stack, "mongodbatlas");
    mongodb = new AtlasMongoDb(stack, "mongodb", {
      projectName: `${prefix}-gcp`,
      orgId: d.mongodbAtlas.orgId,
      atlasRegion: ATLAS_GCP_REGIONS[gcp.region],
      instanceSize: d.mongodbAtlas.instanceSize,
      atlasCidr: d.mongodbAtlas.cidr,
      gcpProjectId: gcp.projectId,
      networkName: network.network_name,
      networkId: network.vpc_id,
      clientCidrs: [gcp.network.cidr, gcp.network.podsCidr],
      secretRegion: gcp.region,
      kmsKeyId: key.id,
      terminationProtection: true,
      preventDestroy: protect,
    });
  }
  const logs = new GcsBucket(stack, "objects-access-logs", {
    bucketName: resourceName(env, ["objects", gcp.projectId, "logs"]),
    location: gcp.region,
    kmsKeyId: key.id,
    preventDestroy: protect,
  });
  const objects = new GcsBucket(stack, "objects", {
    bucketName: resourceName(env, ["objects", gcp.projectId]),
    location: gcp.region,
    kmsKeyId: key.id,
    logBucketName: logs.name,
    preventDestroy: protect,
  });

  if (copiesObjects && primary && env.clouds.aws) objectCopy(stack, primary, env.clouds.aws, gcp, objects.name);
  // Atlas is refreshed from the primary's DocumentDB by a CronJob on GKE (platform stack).
  const mongodbRefresh =
    copiesMongodb && primary && mongodb
      ? mongodbRefreshAccess(stack, primary, {
          gcp,
          kmsKeyId: key.id,
          atlasPassword: mongodb.password,
          projectNumber: agents.projectNumber,
          workloadPool: stack.read(GcpClusterContract, clusterStack).workload_identity_pool,
        })
      : undefined;

  stack.publish(GcpDataContract, {
    data_role: d.role,
    postgres_endpoint: postgres.instance.privateIpAddress,
    postgres_port: CLOUD_SQL_POSTGRES_PORT,
    postgres_secret_ref: postgres.password.secret.id,
    mongodb_endpoint: mongodb ? mongodb.host : "",
    mongodb_port: MONGODB_PORT,
    mongodb_secret_ref: mongodb ? mongodb.password.secret.id : "",
    redis_endpoint: redis ? redis.instance.host : "",
    redis_port: MEMORYSTORE_TLS_PORT,
    redis_secret_ref: redis ? redis.authSecret.secret.id : "",
    object_bucket_name: objects.name,
    object_storage_endpoint: "https://storage.googleapis.com",
    replication_source: copySourceStackId(env, "gcp"),
    replication_status: replicationStatus(env, "gcp", replica?.job.state),
    postgres_replication_secret_ref: "",
    mongodb_copy_secret_ref: "",
    postgres_replication_secret_version: 0,
    mongodb_copy_secret_version: 0,
    mongodb_source_host: mongodbRefresh ? mongodbRefresh.sourceHost : "",
    mongodb_source_secret_ref: mongodbRefresh ? mongodbRefresh.sourceSecretId : "",
  });
  return stack;
}
