/**
 * The data jobs a cluster runs for its cloud's data role: on Azure's cluster, the scheduled refresh
 * of the backup PostgreSQL server from the AWS primary and the scheduled copy of the primary's
 * objects into the versioned Blob container; on the observability hub, the alert rules
 * that watch it (docs/data-across-clouds.md).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { OBJECTS_COPY_NAMESPACE, ObjectsCopyJob } from "../../constructs/kubernetes/objects-copy-job";
import { platformNamespace } from "../../constructs/kubernetes/namespace";
import { DataCopyAlerts } from "../../constructs/kubernetes/data-copy-alerts";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { copyingClouds } from "../../modules/config/data-roles";
import { AzureDataContract } from "../../modules/contracts/layers";
import type { ContractView } from "../../modules/contracts/contract";
import type { LayerStack } from "../../modules/layer-stack";

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  if (!ctx.hub.isHub || !monitoring || !copyingClouds(ctx.env, "postgres").includes("azure")) return;
  new DataCopyAlerts(stack, "data-copy-alerts", ctx, { monitoring, refreshJob: { namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB } });
}

export function dataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack): void {
  const env = ctx.env;
  if (ctx.cloud !== "azure" || !env.clouds.azure || !env.clouds.aws) return;
  const refreshes = copyingClouds(env, "postgres").includes("azure");
  const copiesObjects = copyingClouds(env, "objects").includes("azure");
  if (!refreshes && !copiesObjects) return;
  const data = stack.read(AzureDataContract, dataStack);
  const refresh = refreshes ? postgresRefresh(stack, ctx, data, env.clouds.aws.region, env.clouds.azure.tenantId) : undefined;
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

function postgresRefresh(stack: LayerStack, ctx: PlatformContext, data: ContractView<typeof AzureDataContract.fields>, awsRegion: string, tenantId: string): PostgresRefreshJob {
  const env = ctx.env;
  return new PostgresRefreshJob(stack, "postgres-refresh", ctx, {
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
}
