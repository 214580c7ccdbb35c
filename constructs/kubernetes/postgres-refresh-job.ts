/**
 * A CronJob that refreshes a warm PostgreSQL copy from the primary: `pg_dump` from the primary
 * over the private link (TLS verified against the primary's CA bundle, an init container), then at
 * once `pg_restore --clean --create` into the backup server (TLS verified against the system roots)
 * and an upload of the same dump to an immutable Blob container (Entra token from the pod's
 * federated workload-identity token, block blobs over HTTPS). Database passwords come from Key
 * Vault through the Secrets Store CSI driver as files; no credential is an env value or a
 * Kubernetes Secret. Images are pinned by digest.
 *
 * pglogical (the primary's replication extension) is left out of the dump: the backup server does
 * not load it, and the refresh would fail on its CREATE EXTENSION.
 */
import type { Construct } from "constructs";
import { CA_DIR, DATA_COPIES_NAMESPACE, DumpRestoreJob, SECRETS_DIR, WORK_DIR, blobUploadScript, keyVaultSecrets } from "./dump-restore-job";
import type { PlatformContext } from "./platform-context";

export const REFRESH_NAMESPACE = DATA_COPIES_NAMESPACE;
export const REFRESH_SERVICE_ACCOUNT = "postgres-refresh";
/** Name of the CronJob (the hub's alert rules select its metrics by it). */
export const REFRESH_CRONJOB = "postgres-refresh";

/**
 * The official PostgreSQL 17.6 Alpine image (its multi-architecture index digest): pg_dump 17
 * dumps servers back to 9.2 and `sslrootcert=system` needs libpq 16 or newer.
 */
export const POSTGRES_CLIENT_IMAGE = "docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94";

/** The official Python 3.13 Alpine image (standard library only: urllib speaks to Entra ID and Blob Storage). */
export const UPLOADER_IMAGE = "docker.io/library/python:3.13-alpine@sha256:399babc8b49529dabfd9c922f2b5eea81d611e4512e3ed250d75bd2e7683f4b0";

/** Properties for {@link PostgresRefreshJob}. */
export interface PostgresRefreshJobProps {
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  readonly sourceHost: string;
  readonly sourceUser: string;
  /** PEM bundle of the CAs that sign the source's server certificate. */
  readonly sourceCaBundle: string;
  readonly targetHost: string;
  readonly targetUser: string;
  /** The database copied. @default "addtocloud" */
  readonly database?: string;
  /** Key Vault holding both passwords, and the names of the two secrets. */
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly sourceSecretName: string;
  readonly targetSecretName: string;
  /** Client id of the user-assigned identity federated to this job's service account. */
  readonly clientId: string;
  /** URL of the immutable Blob container every dump is uploaded to. */
  readonly dumpsUrl: string;
  /**
   * The largest dump expected, in GiB (scratch space of the pod).
   * @default 20
   */
  readonly scratchGb?: number;
}

const DUMP = `${WORK_DIR}/refresh.dump`;

/** The dump step (init container). Every value it needs is a file or a non-secret env value. */
export function dumpScript(): string {
  return [
    "set -eu",
    `PGPASSWORD="$(cat ${SECRETS_DIR}/source-password)" pg_dump "host=$SOURCE_HOST port=5432 dbname=$DATABASE user=$SOURCE_USER sslmode=verify-full sslrootcert=${CA_DIR}/bundle.pem" --format=custom --no-owner --no-privileges --exclude-extension=pglogical --exclude-schema=pglogical --file=${DUMP}`,
  ].join("\n");
}

/** The restore step into the backup server. */
export function restoreScript(): string {
  return [
    "set -eu",
    `PGPASSWORD="$(cat ${SECRETS_DIR}/target-password)" pg_restore --dbname="host=$TARGET_HOST port=5432 dbname=postgres user=$TARGET_USER sslmode=verify-full sslrootcert=system" --clean --if-exists --create --no-owner --no-privileges --exit-on-error ${DUMP}`,
    'echo "refreshed $DATABASE from $SOURCE_HOST"',
  ].join("\n");
}

/** The upload step: the dump into the immutable container (see {@link blobUploadScript}). */
export function uploadScript(): string {
  return blobUploadScript(DUMP, "dump");
}

export class PostgresRefreshJob extends DumpRestoreJob {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PostgresRefreshJobProps) {
    super(scope, id, ctx, {
      name: REFRESH_CRONJOB,
      schedule: props.schedule,
      env: [
        { name: "SOURCE_HOST", value: props.sourceHost },
        { name: "SOURCE_USER", value: props.sourceUser },
        { name: "TARGET_HOST", value: props.targetHost },
        { name: "TARGET_USER", value: props.targetUser },
        { name: "DATABASE", value: props.database ?? "addtocloud" },
      ],
      secrets: keyVaultSecrets({
        clientId: props.clientId,
        keyVaultName: props.keyVaultName,
        tenantId: props.tenantId,
        objects: [
          { objectName: props.sourceSecretName, objectAlias: "source-password" },
          { objectName: props.targetSecretName, objectAlias: "target-password" },
        ],
      }),
      sourceCaBundle: props.sourceCaBundle,
      serviceAccountAnnotations: { "azure.workload.identity/client-id": props.clientId },
      podLabels: { "azure.workload.identity/use": "true" },
      // The postgres user of the Alpine image.
      runAsUser: 70,
      dump: { image: POSTGRES_CLIENT_IMAGE, command: ["/bin/sh", "-c", dumpScript()] },
      restore: { image: POSTGRES_CLIENT_IMAGE, command: ["/bin/sh", "-c", restoreScript()] },
      archive: { image: UPLOADER_IMAGE, command: ["python3", "-c", uploadScript()], url: props.dumpsUrl },
      scratchGb: props.scratchGb,
    });
  }
}
