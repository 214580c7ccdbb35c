/**
 * The data jobs a cluster runs for its cloud's data role: on Azure's cluster, the scheduled refresh
 * of the backup PostgreSQL server from the AWS primary and the restore check of its archived dumps
 * (with the Pushgateway it reports to); on GCP's cluster, the exporter of the DMS replica's lag; on
 * the observability hub, the alert rules that watch them (docs/data-across-clouds.md).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { DataCopyAlerts, type WatchedRefreshJob, type WatchedReplicationLag, type WatchedRestoreCheck } from "../../constructs/kubernetes/data-copy-alerts";
import { platformNamespace } from "../../constructs/kubernetes/namespace";
import { REPLICATION_LAG_METRIC, ReplicationLagExporter } from "../../constructs/kubernetes/replication-lag-exporter";
import { addonEnabled } from "../../modules/config/clouds/platform";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { Pushgateway } from "../../constructs/kubernetes/pushgateway";
import { PostgresRestoreCheckJob, RESTORE_CHECK_APP } from "../../constructs/kubernetes/restore-check-job";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { copyingClouds } from "../../modules/config/data-roles";
import { AzureDataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";

/** Whether Azure refreshes a PostgreSQL backup copy from the AWS primary (and so archives and verifies dumps). */
function azureRefreshes(env: EnvironmentConfig): boolean {
  return env.clouds.azure !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "postgres").includes("azure");
}

/** Whether GCP follows the AWS primary's PostgreSQL through DMS (stacks/gcp/data.ts). */
function gcpReplicates(env: EnvironmentConfig): boolean {
  return env.clouds.gcp !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "postgres").includes("gcp");
}

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  const env = ctx.env;
  if (!ctx.hub.isHub || !monitoring) return;
  const refreshJobs: WatchedRefreshJob[] = azureRefreshes(env) ? [{ namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB, engine: "postgres", description: "PostgreSQL backup copy" }] : [];
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
  if (ctx.cloud !== "azure" || !env.clouds.azure || !env.clouds.aws || !copyingClouds(env, "postgres").includes("azure")) return;
  const data = stack.read(AzureDataContract, dataStack);
  const refresh = new PostgresRefreshJob(stack, "postgres-refresh", ctx, {
    schedule: env.dataCopies.postgres.refreshSchedule,
    sourceHost: data.postgres_source_host,
    sourceUser: REPLICATION_USER,
    sourceCaBundle: new RdsCaBundle(stack, "rds-ca", env.clouds.aws.region).pem,
    targetHost: data.postgres_endpoint,
    targetUser: data.postgres_admin_login,
    keyVaultName: data.key_vault_name,
    tenantId: env.clouds.azure.tenantId,
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
    tenantId: env.clouds.azure.tenantId,
    targetSecretName: data.postgres_admin_secret_name,
    clientId: data.postgres_restore_check_client_id,
    dumpsUrl: data.postgres_dumps_url,
    pushgatewayUrl: pushgateway.url,
    dependsOn: [refresh.bundle.release, pushgateway.release],
  });
}
