/**
 * The data jobs a cluster runs for its cloud's data role (docs/data-across-clouds.md):
 * - on Azure's cluster, the scheduled refreshes of the backup PostgreSQL server and of Cosmos DB
 *   from the AWS primary, the restore check of the archived PostgreSQL dumps (with the Pushgateway
 *   it reports to) and the scheduled copy of the primary's objects into the versioned Blob container;
 * - on GCP's cluster, the scheduled refresh of Atlas from the primary's DocumentDB and the exporter
 *   of the DMS replica's lag;
 * - on the observability hub, the alert rules that watch them all.
 * Every job of a cluster shares its one `data-copies` namespace (dataCopiesNamespace).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { MONGODB_COPY_USER, REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import { ATLAS_APP_USER } from "../../constructs/gcp/atlas-mongodb";
import { DataCopyAlerts, type WatchedRefreshJob, type WatchedReplicationLag, type WatchedRestoreCheck } from "../../constructs/kubernetes/data-copy-alerts";
import { dataCopiesNamespace, gkeSecretManagerSecrets, keyVaultSecrets } from "../../constructs/kubernetes/dump-restore-job";
import { MONGODB_REFRESH_CRONJOB, MONGODB_REFRESH_NAMESPACE, MongoRefreshJob } from "../../constructs/kubernetes/mongodb-refresh-job";
import { OBJECTS_COPY_CRONJOB, OBJECTS_COPY_NAMESPACE, ObjectsCopyJob } from "../../constructs/kubernetes/objects-copy-job";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { Pushgateway } from "../../constructs/kubernetes/pushgateway";
import { REPLICATION_LAG_METRIC, ReplicationLagExporter } from "../../constructs/kubernetes/replication-lag-exporter";
import { PostgresRestoreCheckJob, RESTORE_CHECK_APP } from "../../constructs/kubernetes/restore-check-job";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { addonEnabled } from "../../modules/config/clouds/platform";
import { copyingClouds } from "../../modules/config/data-roles";
import type { CopiedEngine } from "../../modules/config/clouds/data-copies";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import type { ContractView } from "../../modules/contracts/contract";
import { AzureDataContract, GcpDataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { meshClusterName } from "../../modules/naming";

/**
 * Whether `cloud` receives the primary's `engine` through a copy these stacks build. copyingClouds
 * already requires the primary (on AWS: the loader refuses another) and the cloud to run the engine
 * (Cosmos DB enabled, Atlas configured).
 */
const copies = (env: EnvironmentConfig, engine: CopiedEngine, cloud: KubernetesCloud): boolean => copyingClouds(env, engine).includes(cloud);

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (!ctx.hub.isHub || !monitoring) return;
  // kube-state-metrics of every cluster reaches the hub labelled with its cluster: one rule per job name covers both clouds' MongoDB refreshes.
  // A job is watched through its cluster's kube-state-metrics: without monitoring there, its rules would only ever say "absent".
  const watched = (cloud: "azure" | "gcp") => addonEnabled(env.platform, cloud, "monitoring");
  // The MongoDB refresh runs under one name on AKS and GKE: each cluster is expected to report its own success.
  const mongodbClusters = [
    ...(copies(env, "mongodb", "azure") && watched("azure") ? [meshClusterName(env, "azure")] : []),
    ...(copies(env, "mongodb", "gcp") && watched("gcp") ? [meshClusterName(env, "gcp")] : []),
  ];
  const refreshJobs: WatchedRefreshJob[] = [
    ...(copies(env, "postgres", "azure") && watched("azure") ? [{ namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB, engine: "postgres", description: "PostgreSQL backup copy", clusters: [meshClusterName(env, "azure")] }] : []),
    ...(mongodbClusters.length > 0 ? [{ namespace: MONGODB_REFRESH_NAMESPACE, name: MONGODB_REFRESH_CRONJOB, engine: "mongodb", description: "MongoDB copy (Atlas, Cosmos DB)", clusters: mongodbClusters }] : []),
    ...(copies(env, "objects", "azure") && watched("azure") ? [{ namespace: OBJECTS_COPY_NAMESPACE, name: OBJECTS_COPY_CRONJOB, engine: "objects", description: "object copy to Azure Blob", clusters: [meshClusterName(env, "azure")] }] : []),
  ];
  // The restore check and the lag exporter report through their own cluster's Prometheus.
  const restoreChecks: WatchedRestoreCheck[] = copies(env, "postgres", "azure") && watched("azure") ? [{ engine: "postgres", description: "PostgreSQL dump" }] : [];
  const replicationLags: WatchedReplicationLag[] =
    copies(env, "postgres", "gcp") && watched("gcp")
      ? [{ engine: "postgres", metric: REPLICATION_LAG_METRIC, maxSeconds: env.dataCopies.postgres.maxReplicationLagSeconds, description: "PostgreSQL replica on GCP (DMS)" }]
      : [];
  if (refreshJobs.length + restoreChecks.length + replicationLags.length === 0) return;
  new DataCopyAlerts(stack, "data-copy-alerts", ctx, { monitoring, refreshJobs, restoreChecks, replicationLags });
}

export function dataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack, monitoring?: Release): void {
  if (ctx.cloud === "gcp") gcpDataJobs(stack, ctx, dataStack, monitoring);
  if (ctx.cloud === "azure") azureDataJobs(stack, ctx, dataStack, monitoring);
}

function azureDataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (!env.clouds.azure || !env.clouds.aws) return;
  const copiesPostgres = copies(env, "postgres", "azure");
  const copiesMongodb = copies(env, "mongodb", "azure");
  const copiesObjects = copies(env, "objects", "azure");
  if (!copiesPostgres && !copiesMongodb && !copiesObjects) return;
  const data = stack.read(AzureDataContract, dataStack);
  const tenantId = env.clouds.azure.tenantId;
  if (copiesPostgres || copiesMongodb) {
    const rdsCa = new RdsCaBundle(stack, "rds-ca", env.clouds.aws.region);
    if (copiesPostgres) postgresRefresh(stack, ctx, data, rdsCa.pem, tenantId, monitoring);
    if (copiesMongodb) {
      // Cosmos DB for MongoDB from the primary's DocumentDB; every archive also into the immutable container.
      new MongoRefreshJob(stack, "mongodb-refresh", ctx, {
        schedule: env.dataCopies.mongodb.refreshSchedule,
        sourceHost: data.mongodb_source_host,
        sourceUser: MONGODB_COPY_USER,
        sourceCaBundle: rdsCa.pem,
        target: { kind: "cosmos" },
        secrets: keyVaultSecrets({
          clientId: data.mongodb_refresh_client_id,
          keyVaultName: data.key_vault_name,
          tenantId,
          objects: [
            { objectName: data.mongodb_source_secret_name, objectAlias: "source-password" },
            { objectName: data.mongodb_target_secret_name, objectAlias: "target-connection-string" },
          ],
        }),
        serviceAccountAnnotations: { "azure.workload.identity/client-id": data.mongodb_refresh_client_id },
        podLabels: { "azure.workload.identity/use": "true" },
        dumpsUrl: data.mongodb_dumps_url,
      });
    }
  }
  if (copiesObjects) {
    new ObjectsCopyJob(stack, "objects-copy", ctx, {
      schedule: env.dataCopies.objects.copySchedule,
      namespace: dataCopiesNamespace(stack, ctx),
      sourceBucket: data.objects_source_bucket,
      sourceRegion: env.clouds.aws.region,
      roleArn: data.objects_copy_role_arn,
      clientId: data.objects_copy_client_id,
      targetAccount: data.objects_copy_account,
      targetContainer: data.objects_copy_container,
    });
  }
}

/** The refresh of the backup PostgreSQL server and, with monitoring on the cluster, the restore check of its dumps. */
function postgresRefresh(stack: LayerStack, ctx: PlatformContext, data: ContractView<typeof AzureDataContract.fields>, sourceCaBundle: string, tenantId: string, monitoring: Release | undefined): void {
  const env = ctx.env;
  const refresh = new PostgresRefreshJob(stack, "postgres-refresh", ctx, {
    schedule: env.dataCopies.postgres.refreshSchedule,
    sourceHost: data.postgres_source_host,
    sourceUser: REPLICATION_USER,
    sourceCaBundle,
    targetHost: data.postgres_endpoint,
    targetUser: data.postgres_admin_login,
    keyVaultName: data.key_vault_name,
    tenantId,
    sourceSecretName: data.postgres_source_secret_name,
    targetSecretName: data.postgres_admin_secret_name,
    clientId: data.postgres_refresh_client_id,
    dumpsUrl: data.postgres_dumps_url,
  });
  // The restore check pushes its metrics to the cluster's Pushgateway; without Prometheus on the
  // cluster nothing would read them (and the ServiceMonitor has no CRD), so both need monitoring.
  if (!monitoring) return;
  const pushgateway = new Pushgateway(stack, "pushgateway", ctx, { namespace: REFRESH_NAMESPACE, monitoring, pushers: [RESTORE_CHECK_APP], dependsOn: [refresh.bundle.release] });
  new PostgresRestoreCheckJob(stack, "postgres-restore-check", ctx, {
    schedule: env.dataCopies.postgres.verifySchedule,
    targetHost: data.postgres_endpoint,
    targetUser: data.postgres_admin_login,
    keyVaultName: data.key_vault_name,
    tenantId,
    targetSecretName: data.postgres_admin_secret_name,
    clientId: data.postgres_restore_check_client_id,
    dumpsUrl: data.postgres_dumps_url,
    pushgatewayUrl: pushgateway.url,
    dependsOn: [refresh.bundle.release, pushgateway.release],
  });
}

/**
 * On GKE: the refresh of the Atlas copy from the primary's DocumentDB (its two passwords read as
 * files through GKE's Secret Manager add-on as the job's own Kubernetes service account), and the
 * Stackdriver exporter that brings the DMS replica's lag to Prometheus.
 */
function gcpDataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (env.clouds.gcp && monitoring && copies(env, "postgres", "gcp")) {
    // Not injected: the exporter talks to Google's API, and Prometheus scrapes it in plain HTTP.
    const namespace = dataCopiesNamespace(stack, ctx);
    new ReplicationLagExporter(stack, "replication-lag-exporter", ctx, { namespace: REFRESH_NAMESPACE, projectId: env.clouds.gcp.projectId, monitoring, dependsOn: [namespace] });
  }
  if (!env.clouds.aws || !copies(env, "mongodb", "gcp")) return;
  const data = stack.read(GcpDataContract, dataStack);
  new MongoRefreshJob(stack, "mongodb-refresh", ctx, {
    schedule: env.dataCopies.mongodb.refreshSchedule,
    sourceHost: data.mongodb_source_host,
    sourceUser: MONGODB_COPY_USER,
    sourceCaBundle: new RdsCaBundle(stack, "rds-ca", env.clouds.aws.region).pem,
    target: { kind: "atlas", srvHost: data.mongodb_endpoint, user: ATLAS_APP_USER },
    secrets: gkeSecretManagerSecrets([
      { secretId: data.mongodb_source_secret_ref, path: "source-password" },
      { secretId: data.mongodb_secret_ref, path: "target-password" },
    ]),
  });
}
