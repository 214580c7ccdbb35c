/**
 * The GCP stacks of an environment: bootstrap (the GCS state bucket), network, cluster and data.
 */
import { Construct } from "constructs";
import { CryptoKey } from "../../constructs/gcp/crypto-key";
import { GkeCluster, GkeNodePoolSpec } from "../../constructs/gcp/gke-cluster";
import { GcsBucket } from "../../constructs/gcp/secure-bucket";
import { ServiceAgents } from "../../constructs/gcp/service-agents";
import { GcpNetwork } from "../../constructs/gcp/vpc-network";
import { nativeStateStore } from "../../modules/backends";
import type { GcpConfig } from "../../modules/config/clouds/gcp";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import { BootstrapContract, GcpClusterContract, GcpNetworkContract } from "../../modules/contracts/layers";
import { copyingClouds } from "../../modules/config/data-roles";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";
import type { CloudStacks } from "../types";
import { buildGcpData } from "./data";
import { buildGcpMessaging } from "./messaging";
import { gcpStack } from "./stack";
import { GithubFederation } from "../../constructs/gcp/github-federation";
import { applyEnvironment, githubIdentityName, pipelineIdentitiesEnabled, publishPipelineIdentities } from "../../modules/delivery";

export function buildGcpStacks(scope: Construct, env: EnvironmentConfig, built: Partial<Record<KubernetesCloud, CloudStacks>> = {}): CloudStacks {
  const gcp = env.clouds.gcp;
  if (!gcp) return {};
  const bootstrap = buildBootstrap(scope, env, gcp);
  const network = buildNetwork(scope, env, gcp);
  const cluster = buildCluster(scope, env, gcp, network);
  const data = buildGcpData(scope, env, gcp, network, cluster, built.aws?.data);
  const messaging = buildGcpMessaging(scope, env, gcp, network);
  return { bootstrap, network, cluster, data, messaging };
}

/** `<env>-gcp-bootstrap`: the GCS bucket every other GCP stack uses under `native` state. */
function buildBootstrap(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig): LayerStack {
  const stack = gcpStack(scope, env, gcp, "bootstrap");
  const agents = new ServiceAgents(stack, "agents", gcp.projectId);
  // State is kept on destroy in every stage: losing it loses track of every resource.
  const key = new CryptoKey(stack, "state-key", {
    keyRingName: resourceName(env, ["tfstate"]),
    keyName: "tfstate",
    location: gcp.region,
    encrypterDecrypters: [agents.email("storage")],
  });
  const logs = new GcsBucket(stack, "state-access-logs", {
    bucketName: resourceName(env, ["tfstate", gcp.projectId, "logs"]),
    location: gcp.region,
    kmsKeyId: key.id,
    preventDestroy: true,
  });
  const bucket = new GcsBucket(stack, "state-bucket", {
    bucketName: nativeStateStore(env, "gcp").bucket,
    location: gcp.region,
    kmsKeyId: key.id,
    logBucketName: logs.name,
    noncurrentVersionExpirationDays: 365,
    preventDestroy: true,
  });
  stack.publish(BootstrapContract, { state_bucket: bucket.name, state_encryption_key: key.id });
  if (pipelineIdentitiesEnabled(env)) {
    const github = new GithubFederation(stack, "github-actions", {
      projectId: gcp.projectId,
      repository: env.delivery.github.repository,
      applyEnvironment: applyEnvironment(env),
      applyBranch: env.delivery.github.branch,
      poolId: githubIdentityName(env, "gcp", "pool"),
      stateBucketName: bucket.name,
    });
    publishPipelineIdentities(stack, {
      github_workload_identity_provider: { value: github.provider.name, description: "Workload identity provider of GitHub Actions (repository variable GCP_WORKLOAD_IDENTITY_PROVIDER_<ENV>)" },
      github_plan_service_account: { value: github.planAccount.email, description: "Service account pull-request jobs impersonate to plan (repository variable GCP_PLAN_SERVICE_ACCOUNT_<ENV>)" },
      github_apply_service_account: { value: github.applyAccount.email, description: "Service account the protected environment's jobs impersonate to apply (repository variable GCP_APPLY_SERVICE_ACCOUNT_<ENV>)" },
    });
  }
  return stack;
}

/** `<env>-gcp-network`. */
function buildNetwork(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig): LayerStack {
  const stack = gcpStack(scope, env, gcp, "network");
  const network = new GcpNetwork(stack, "network", {
    namePrefix: resourceName(env, []),
    region: gcp.region,
    nodesCidr: gcp.network.cidr,
    podsCidr: gcp.network.podsCidr,
    servicesCidr: gcp.network.servicesCidr,
    privateServicesCidr: gcp.network.privateServicesCidr,
    masterCidr: gcp.cluster.masterCidr,
  });
  stack.publish(GcpNetworkContract, {
    vpc_id: network.network.id,
    vpc_cidr: gcp.network.cidr,
    private_subnet_ids: [network.subnet.id],
    public_subnet_ids: [],
    database_subnet_ids: [network.privateServicesRange.name],
    region: gcp.region,
    network_name: network.network.name,
    nodes_subnet_id: network.subnet.id,
    pods_range_name: network.podsRangeName,
    services_range_name: network.servicesRangeName,
    private_services_range_name: network.privateServicesRange.name,
    pods_cidr: gcp.network.podsCidr,
  });
  return stack;
}

/** The name of the environment's GKE cluster (the platform stack names its Google service accounts after it). */
export function gkeClusterName(env: EnvironmentConfig): string {
  return resourceName(env, ["gke"], 40);
}

/** `<env>-gcp-cluster`: regional private GKE. */
function buildCluster(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig, networkStack: LayerStack): LayerStack {
  const stack = gcpStack(scope, env, gcp, "cluster");
  const network = stack.read(GcpNetworkContract, networkStack);
  const agents = new ServiceAgents(stack, "agents", gcp.projectId);
  const name = gkeClusterName(env);
  const key = new CryptoKey(stack, "cluster-key", {
    keyRingName: resourceName(env, ["gke"]),
    keyName: "secrets-and-disks",
    location: gcp.region,
    // GKE encrypts secrets; Compute Engine encrypts the node boot disks.
    encrypterDecrypters: [agents.email("gke"), agents.email("compute")],
  });
  const c = gcp.cluster;
  const pools: GkeNodePoolSpec[] = [{ name: "standard", spot: false, machineType: c.standard.machineType, ...poolSizes(c.standard) }];
  if (c.spot) pools.push({ name: "spot", spot: true, machineType: c.spot.machineType, ...poolSizes(c.spot) });
  const gke = new GkeCluster(stack, "gke", {
    clusterName: name,
    projectId: gcp.projectId,
    region: gcp.region,
    networkId: network.vpc_id,
    subnetId: network.nodes_subnet_id,
    podsRangeName: network.pods_range_name,
    servicesRangeName: network.services_range_name,
    masterCidr: c.masterCidr,
    masterAuthorizedCidrs: c.masterAuthorizedCidrs,
    releaseChannel: c.releaseChannel,
    kubernetesVersion: c.kubernetesVersion,
    kmsKeyId: key.id,
    nodePools: pools,
    maintenance: c.maintenance,
    deletionProtection: stack.production,
    // The MongoDB refresh job reads its two passwords as files from Secret Manager (platform stack).
    secretManagerCsi: copyingClouds(env, "mongodb").includes("gcp"),
  });
  stack.publish(GcpClusterContract, {
    cluster_name: gke.cluster.name,
    cluster_endpoint: `https://${gke.cluster.endpoint}`,
    cluster_ca_certificate: gke.cluster.masterAuth.clusterCaCertificate,
    oidc_issuer_url: `https://container.googleapis.com/v1/projects/${gcp.projectId}/locations/${gcp.region}/clusters/${name}`,
    kubernetes_version: gke.cluster.masterVersion,
    region: gcp.region,
    project_id: gcp.projectId,
    workload_identity_pool: gke.workloadPool,
    node_service_account_email: gke.nodeServiceAccount.email,
  });
  return stack;
}

function poolSizes(pool: GcpConfig["cluster"]["standard"]) {
  return { minNodes: pool.scaling.min, initialNodes: pool.scaling.desired, maxNodes: pool.scaling.max, diskSizeGb: pool.diskSizeGb };
}
