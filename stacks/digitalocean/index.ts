/**
 * The DigitalOcean stacks of an environment: network (VPC), cluster (DOKS) and data (managed
 * PostgreSQL, MongoDB and Valkey, a Spaces bucket), plus a bootstrap for the Spaces state bucket
 * when some stack keeps its state there (`state: { type: "native", fallback: "digitalocean" }`).
 */
import { Construct } from "constructs";
import { DoksCluster } from "../../constructs/digitalocean/doks-cluster";
import { ManagedDatabase } from "../../constructs/digitalocean/managed-database";
import { digitalOceanProvider } from "../../constructs/digitalocean/provider";
import { SecureSpacesBucket } from "../../constructs/digitalocean/spaces-bucket";
import { Vpc } from "@cdktf/provider-digitalocean/lib/vpc";
import { nativeStateStore, usesDigitalOceanStateStore } from "../../modules/backends";
import type { DigitalOceanConfig } from "../../modules/config/clouds/digitalocean";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { copySourceStackId, replicationStatus } from "../../modules/config/data-roles";
import { BootstrapContract, DataContract, DigitalOceanClusterContract, DigitalOceanDataContract, NetworkContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import type { CloudStacks } from "../types";
import { buildDigitalOceanMessaging } from "./messaging";

export function buildDigitalOceanStacks(scope: Construct, env: EnvironmentConfig): CloudStacks {
  const d = env.clouds.digitalocean;
  if (!d) return {};
  const bootstrap = usesDigitalOceanStateStore(env) ? buildBootstrap(scope, env) : undefined;
  const network = buildNetwork(scope, env, d);
  const cluster = buildCluster(scope, env, d, network);
  const data = buildData(scope, env, d, network, cluster);
  const messaging = buildDigitalOceanMessaging(scope, env, d, network, cluster);
  return { bootstrap, network, cluster, data, messaging };
}

function doStack(scope: Construct, env: EnvironmentConfig, layer: "bootstrap" | "network" | "cluster" | "data"): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "digitalocean", layer });
  digitalOceanProvider(stack);
  return stack;
}

/** `<env>-digitalocean-bootstrap`: the Spaces bucket that holds state under `native` state. */
function buildBootstrap(scope: Construct, env: EnvironmentConfig): LayerStack {
  const stack = doStack(scope, env, "bootstrap");
  const store = nativeStateStore(env, "digitalocean");
  const bucket = new SecureSpacesBucket(stack, "state-bucket", {
    name: store.bucket,
    region: store.region,
    // State history is how a bad apply is undone: keep old versions for a year.
    noncurrentVersionExpirationDays: 365,
    preventDestroy: true,
  });
  stack.publish(BootstrapContract, { state_bucket: bucket.bucket.name, state_encryption_key: "" });
  return stack;
}

/** `<env>-digitalocean-network`: the VPC, on the range config gives it (checked against every other cloud's). */
function buildNetwork(scope: Construct, env: EnvironmentConfig, d: DigitalOceanConfig): LayerStack {
  const stack = doStack(scope, env, "network");
  const vpc = new Vpc(stack, "vpc", {
    name: resourceName(env, ["vpc"]),
    region: d.region,
    ipRange: d.network.cidr,
    description: `${env.project} ${env.name}: DOKS nodes and managed databases`,
  });
  // A DigitalOcean VPC is one flat range: nodes and databases both live in it, and there are no
  // public subnets (load balancers get public IPs of their own).
  stack.publish(NetworkContract, {
    vpc_id: vpc.id,
    vpc_cidr: vpc.ipRange,
    private_subnet_ids: [vpc.id],
    public_subnet_ids: [],
    database_subnet_ids: [vpc.id],
    region: d.region,
  });
  return stack;
}

/** The name of the environment's DOKS cluster. */
export function doksClusterName(env: EnvironmentConfig): string {
  return resourceName(env, ["doks"]);
}

/** `<env>-digitalocean-cluster`: DOKS in the VPC. */
function buildCluster(scope: Construct, env: EnvironmentConfig, d: DigitalOceanConfig, networkStack: LayerStack): LayerStack {
  const stack = doStack(scope, env, "cluster");
  const network = stack.read(NetworkContract, networkStack);
  const c = d.cluster;
  const doks = new DoksCluster(stack, "doks", {
    name: doksClusterName(env),
    region: d.region,
    vpcId: network.vpc_id,
    vpcCidr: d.network.cidr,
    kubernetesVersion: c.kubernetesVersion,
    ha: c.ha ?? stack.production,
    nodeSize: c.nodeSize,
    minNodes: c.scaling.min,
    maxNodes: c.scaling.max,
    apiAllowlist: c.apiAllowlist,
    registryIntegration: c.registryIntegration,
    maintenanceDay: c.maintenance.day,
    maintenanceStartTime: c.maintenance.startTime,
  });
  stack.publish(DigitalOceanClusterContract, {
    cluster_name: doks.cluster.name,
    cluster_endpoint: doks.cluster.endpoint,
    cluster_ca_certificate: doks.caCertificate,
    // DOKS has no public OIDC issuer for workload identity.
    oidc_issuer_url: "",
    kubernetes_version: doks.cluster.version,
    region: d.region,
    cluster_id: doks.cluster.id,
  });
  return stack;
}

/** `<env>-digitalocean-data`: managed databases the cluster alone may reach, and a Spaces bucket. */
function buildData(scope: Construct, env: EnvironmentConfig, d: DigitalOceanConfig, networkStack: LayerStack, clusterStack: LayerStack): LayerStack {
  const stack = doStack(scope, env, "data");
  const network = stack.read(NetworkContract, networkStack);
  const cluster = stack.read(DigitalOceanClusterContract, clusterStack);
  const data = d.data;
  const protect = stack.production;
  const common = {
    region: d.region,
    vpcId: network.vpc_id,
    kubernetesClusterId: cluster.cluster_id,
    maintenanceDay: data.maintenance.day,
    maintenanceHour: data.maintenance.hour,
    preventDestroy: protect,
  };

  const postgres = new ManagedDatabase(stack, "postgres", {
    ...common,
    name: resourceName(env, ["pg"]),
    engine: "pg",
    version: data.postgres.version,
    size: data.postgres.size,
    nodeCount: data.postgres.nodeCount ?? (stack.production ? 2 : 1),
    readReplica: data.postgres.readReplica ?? stack.production,
  });
  const mongodb = data.mongodb.enabled
    ? new ManagedDatabase(stack, "mongodb", {
        ...common,
        name: resourceName(env, ["mongo"]),
        engine: "mongodb",
        version: data.mongodb.version,
        size: data.mongodb.size,
        nodeCount: data.mongodb.nodeCount ?? (stack.production ? 3 : 1),
      })
    : undefined;
  const cache = data.cache.enabled
    ? new ManagedDatabase(stack, "cache", {
        ...common,
        name: resourceName(env, ["valkey"]),
        engine: "valkey",
        version: data.cache.version,
        size: data.cache.size,
        nodeCount: data.cache.nodeCount ?? (stack.production ? 2 : 1),
      })
    : undefined;

  const objects = new SecureSpacesBucket(stack, "objects", {
    name: data.objects.bucketName ?? resourceName(env, ["objects", d.region]),
    region: d.region,
    noncurrentVersionExpirationDays: data.objects.noncurrentVersionExpirationDays,
    corsOrigins: env.cloudflare ? [`https://${env.domain}`, `https://www.${env.domain}`] : [],
    preventDestroy: protect,
  });

  const databases = [postgres, mongodb, cache].filter((db): db is ManagedDatabase => db !== undefined);
  // Credentials stay with each database cluster: the references are the clusters' URNs.
  stack.publish(DigitalOceanDataContract, {
    data_role: data.role,
    postgres_endpoint: postgres.cluster.privateHost,
    postgres_port: postgres.cluster.port,
    postgres_secret_ref: postgres.cluster.urn,
    mongodb_endpoint: mongodb ? mongodb.cluster.privateHost : "",
    mongodb_port: mongodb ? mongodb.cluster.port : DataContract.fields.mongodb_port.default,
    mongodb_secret_ref: mongodb ? mongodb.cluster.urn : "",
    redis_endpoint: cache ? cache.cluster.privateHost : "",
    redis_port: cache ? cache.cluster.port : DataContract.fields.redis_port.default,
    redis_secret_ref: cache ? cache.cluster.urn : "",
    object_bucket_name: objects.bucket.name,
    object_storage_endpoint: objects.endpoint,
    replication_source: copySourceStackId(env, "digitalocean"),
    replication_status: replicationStatus(env, "digitalocean"),
    postgres_replication_secret_ref: "",
    mongodb_copy_secret_ref: "",
    postgres_replication_secret_version: 0,
    mongodb_copy_secret_version: 0,
    postgres_replica_endpoint: postgres.replica ? postgres.replica.privateHost : "",
    database_cluster_ids: databases.map((db) => db.cluster.id),
  });
  return stack;
}
