/**
 * The data jobs a cluster runs for its cloud's data role: on Azure's cluster, the scheduled refresh
 * of the backup PostgreSQL server from the AWS primary, the restore check of its archived dumps
 * (with the Pushgateway it reports to) and the scheduled copy of the primary's objects into the
 * versioned Blob container; on GCP's cluster, the exporter of the DMS replica's lag; on the
 * observability hub, the alert rules that watch them (docs/data-across-clouds.md).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { DataCopyAlerts, type WatchedRefreshJob, type WatchedReplicationLag, type WatchedRestoreCheck } from "../../constructs/kubernetes/data-copy-alerts";
import { platformNamespace } from "../../constructs/kubernetes/namespace";
import { OBJECTS_COPY_CRONJOB, OBJECTS_COPY_NAMESPACE, ObjectsCopyJob } from "../../constructs/kubernetes/objects-copy-job";
import { REPLICATION_LAG_METRIC, ReplicationLagExporter } from "../../constructs/kubernetes/replication-lag-exporter";
import { addonEnabled } from "../../modules/config/clouds/platform";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { Pushgateway } from "../../constructs/kubernetes/pushgateway";
import { PostgresRestoreCheckJob, RESTORE_CHECK_APP } from "../../constructs/kubernetes/restore-check-job";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { copyingClouds } from "../../modules/config/data-roles";
import { AzureDataContract } from "../../modules/contracts/layers";
import type { ContractView } from "../../modules/contracts/contract";
import type { LayerStack } from "../../modules/layer-stack";

/** Whether Azure refreshes a PostgreSQL backup copy from the AWS primary (and so archives and verifies dumps). */
function azureRefreshes(env: EnvironmentConfig): boolean {
  return env.clouds.azure !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "postgres").includes("azure");
}

/** Whether Azure copies the primary's objects into its Blob container. */
function azureCopiesObjects(env: EnvironmentConfig): boolean {
  return env.clouds.azure !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "objects").includes("azure");
}

/** Whether GCP follows the AWS primary's PostgreSQL through DMS (stacks/gcp/data.ts). */
function gcpReplicates(env: EnvironmentConfig): boolean {
  return env.clouds.gcp !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "postgres").includes("gcp");
}

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (!ctx.hub.isHub || !monitoring) return;
  const refreshJobs: WatchedRefreshJob[] = [
    ...(azureRefreshes(env) ? [{ namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB, engine: "postgres", description: "PostgreSQL backup copy" }] : []),
    ...(azureCopiesObjects(env) ? [{ namespace: OBJECTS_COPY_NAMESPACE, name: OBJECTS_COPY_CRONJOB, engine: "objects", description: "object copy to Azure Blob" }] : []),
  ];
  // The restore check and the lag exporter report through their own cluster's Prometheus.
  const restoreChecks: WatchedRestoreCheck[] = azureRefreshes(env) && addonEnabled(env.platform, "azure", "monitoring") ? [{ engine: "postgres", description: "PostgreSQL dump" }] : [];
  const replicationLags: WatchedReplicationLag[] =
    gcpReplicates(env) && addonEnabled(env.platform, "gcp", "monitoring")
      ? [{ engine: "postgres", metric: REPLICATION_LAG_METRIC, maxSeconds: env.dataCopies.postgres.maxReplicationLagSeconds, description: "PostgreSQL replica on GCP (DMS)" }]
      : [];
  if (refreshJobs.length + restoreChecks.length + replicationLags.length === 0) return;
  new DataCopyAlerts(stack, "data-copy-alerts", ctx, { monitoring, refreshJobs, restoreChecks, replicationLags });
}

/** On GKE, where GCP replicates the primary: the Stackdriver exporter that brings the DMS lag to Prometheus. */
function replicationLagExporter(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (ctx.cloud !== "gcp" || !env.clouds.gcp || !monitoring || !gcpReplicates(env)) return;
  // Not injected: the exporter talks to Google's API, and Prometheus scrapes it in plain HTTP.
  const namespace = platformNamespace(stack, ctx, REFRESH_NAMESPACE);
  new ReplicationLagExporter(stack, "replication-lag-exporter", ctx, { namespace: REFRESH_NAMESPACE, projectId: env.clouds.gcp.projectId, monitoring, dependsOn: [namespace] });
}

export function dataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack, monitoring?: Release): void {
  const env = ctx.env;
  replicationLagExporter(stack, ctx, monitoring);
  if (ctx.cloud !== "azure" || !env.clouds.azure || !env.clouds.aws) return;
  const refreshes = azureRefreshes(env);
  const copiesObjects = azureCopiesObjects(env);
  if (!refreshes && !copiesObjects) return;
  const data = stack.read(AzureDataContract, dataStack);
  const refresh = refreshes ? postgresRefresh(stack, ctx, data, env.clouds.aws.region, env.clouds.azure.tenantId, monitoring) : undefined;
  if (copiesObjects) {
    new ObjectsCopyJob(stack, "objects-copy", ctx, {
      schedule: env.dataCopies.objects.copySchedule,
      // One data-copies namespace per cluster: the refresh job's when it runs here.
      namespace: refresh?.namespace ?? platformNamespace(stack, ctx, OBJECTS_COPY_NAMESPACE),
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
function postgresRefresh(stack: LayerStack, ctx: PlatformContext, data: ContractView<typeof AzureDataContract.fields>, awsRegion: string, tenantId: string, monitoring: Release | undefined): PostgresRefreshJob {
  const env = ctx.env;
  const refresh = new PostgresRefreshJob(stack, "postgres-refresh", ctx, {
    schedule: env.dataCopies.postgres.refreshSchedule,
    sourceHost: data.postgres_source_host,
    sourceUser: REPLICATION_USER,
    sourceCaBundle: new RdsCaBundle(stack, "rds-ca", awsRegion).pem,
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
  if (!monitoring) return refresh;
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
  return refresh;
}
