/**
 * The data jobs a cluster runs for its cloud's data role: on Azure's cluster, the scheduled refresh
 * of the backup PostgreSQL server from the AWS primary; on the observability hub, the alert rules
 * that watch it (docs/data-across-clouds.md).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { DataCopyAlerts } from "../../constructs/kubernetes/data-copy-alerts";
import { Pushgateway } from "../../constructs/kubernetes/pushgateway";
import { PostgresRestoreCheckJob } from "../../constructs/kubernetes/restore-check-job";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { copyingClouds } from "../../modules/config/data-roles";
import { AzureDataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  if (!ctx.hub.isHub || !monitoring || !copyingClouds(ctx.env, "postgres").includes("azure")) return;
  new DataCopyAlerts(stack, "data-copy-alerts", ctx, {
    monitoring,
    refreshJobs: [{ namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB, engine: "postgres", description: "PostgreSQL backup copy" }],
    restoreChecks: [{ engine: "postgres", description: "PostgreSQL dump" }],
  });
}

export function dataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack, monitoring?: Release): void {
  const env = ctx.env;
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
  const pushgateway = new Pushgateway(stack, "pushgateway", ctx, { namespace: REFRESH_NAMESPACE, monitoring, dependsOn: [refresh.bundle.release] });
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
