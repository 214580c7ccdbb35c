/**
 * The data jobs a cluster runs for its cloud's data role: on Azure's cluster, the scheduled refreshes
 * of the backup PostgreSQL server and of Cosmos DB from the AWS primary; on GCP's cluster, the
 * scheduled refresh of Atlas from the primary's DocumentDB; on the observability hub, the alert
 * rules that watch them (docs/data-across-clouds.md).
 */
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { MONGODB_COPY_USER, REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import { ATLAS_APP_USER } from "../../constructs/gcp/atlas-mongodb";
import { gkeSecretManagerSecrets, keyVaultSecrets } from "../../constructs/kubernetes/dump-restore-job";
import { MongoRefreshJob } from "../../constructs/kubernetes/mongodb-refresh-job";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { PostgresRefreshJob, REFRESH_CRONJOB, REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { DataCopyAlerts } from "../../constructs/kubernetes/data-copy-alerts";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { copyingClouds } from "../../modules/config/data-roles";
import { AzureDataContract, GcpDataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";

/** Alert rules on the hub for the data jobs of every cluster. */
export function dataCopyAlerts(stack: LayerStack, ctx: PlatformContext, monitoring: Release | undefined): void {
  if (!ctx.hub.isHub || !monitoring || !copyingClouds(ctx.env, "postgres").includes("azure")) return;
  new DataCopyAlerts(stack, "data-copy-alerts", ctx, { monitoring, refreshJob: { namespace: REFRESH_NAMESPACE, name: REFRESH_CRONJOB } });
}

export function dataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack): void {
  const env = ctx.env;
  if (ctx.cloud === "gcp") {
    gcpDataJobs(stack, ctx, dataStack);
    return;
  }
  if (ctx.cloud !== "azure" || !env.clouds.azure || !env.clouds.aws) return;
  const copiesPostgres = copyingClouds(env, "postgres").includes("azure");
  const copiesMongodb = copyingClouds(env, "mongodb").includes("azure") && env.clouds.azure.data.cosmosMongo.enabled;
  if (!copiesPostgres && !copiesMongodb) return;
  const data = stack.read(AzureDataContract, dataStack);
  const rdsCa = new RdsCaBundle(stack, "rds-ca", env.clouds.aws.region);
  if (copiesPostgres) {
    new PostgresRefreshJob(stack, "postgres-refresh", ctx, {
      schedule: env.dataCopies.postgres.refreshSchedule,
      sourceHost: data.postgres_source_host,
      sourceUser: REPLICATION_USER,
      sourceCaBundle: rdsCa.pem,
      targetHost: data.postgres_endpoint,
      targetUser: data.postgres_admin_login,
      keyVaultName: data.key_vault_name,
      tenantId: env.clouds.azure.tenantId,
      sourceSecretName: data.postgres_source_secret_name,
      targetSecretName: data.postgres_admin_secret_name,
      clientId: data.postgres_refresh_client_id,
      dumpsUrl: data.postgres_dumps_url,
    });
  }
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
        tenantId: env.clouds.azure.tenantId,
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

/**
 * On GKE: the refresh of the Atlas copy from the primary's DocumentDB, its two passwords read as
 * files through GKE's Secret Manager add-on as the job's own Kubernetes service account.
 */
function gcpDataJobs(stack: LayerStack, ctx: PlatformContext, dataStack: LayerStack): void {
  const env = ctx.env;
  if (!env.clouds.aws || !env.clouds.gcp?.data.mongodbAtlas || !copyingClouds(env, "mongodb").includes("gcp")) return;
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
