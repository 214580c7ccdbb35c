/**
 * A CronJob that refreshes a MongoDB copy (Atlas on GCP, Cosmos DB for MongoDB on Azure) from the
 * primary's DocumentDB: `mongodump` of the application database over the private link into a
 * gzipped archive (init container), then `mongorestore --drop` of that archive into the copy and,
 * on Azure, an upload of the same archive to the immutable `mongodb-dumps` container. Everything
 * but the scripts is the shared {@link DumpRestoreJob}.
 *
 * What the scripts take from each side:
 * - DocumentDB: TLS verified against the RDS CA bundle (`tlsCAFile`), `replicaSet=rs0` with
 *   `readPreference=secondaryPreferred` (the dump reads a replica instance when there is one; the
 *   instance names resolve over the links' DNS forwarding), `retryWrites=false` (DocumentDB has no
 *   retryable writes), SCRAM-SHA-1 (the mechanism every DocumentDB version accepts). No `--oplog`:
 *   DocumentDB has no oplog, so the dump is per collection, not one point in time.
 * - Atlas: the private (peering) SRV host, TLS against the system roots, the application user.
 * - Cosmos DB (RU): the account's own connection string (key auth, port 10255, TLS,
 *   `retrywrites=false`); one insertion worker per collection and small batches to stay within the
 *   provisioned RUs; `--noIndexRestore` because Cosmos DB refuses a unique index on a collection
 *   that already holds documents (mongorestore builds indexes after the data) and several MongoDB
 *   index options; `--noOptionsRestore` because it takes few collection options (validators,
 *   collations, capped collections); `--stopOnError` so a throttled insert (error 16500) fails the run instead of
 *   leaving a partial copy behind a success.
 *
 * Credentials never appear in a command line or an env value: each script writes a tool config
 * file (`--config`, mongo-tools 100.3+) with the connection string into a memory-backed volume
 * from the CSI secret files.
 */
import type { Construct } from "constructs";
import { CA_DIR, CREDENTIALS_SCRATCH_DIR, CsiSecrets, DATA_COPIES_NAMESPACE, DumpRestoreJob, SECRETS_DIR, WORK_DIR, blobUploadScript } from "./dump-restore-job";
import type { PlatformContext } from "./platform-context";
import { UPLOADER_IMAGE } from "./postgres-refresh-job";

/** Namespace of the MongoDB refresh CronJob (the hub's alert rules select its metrics by it). */
export const MONGODB_REFRESH_NAMESPACE = DATA_COPIES_NAMESPACE;
/** Name of the MongoDB refresh CronJob and of its service account (the same on GKE and AKS). */
export const MONGODB_REFRESH_CRONJOB = "mongodb-refresh";
export const MONGODB_REFRESH_SERVICE_ACCOUNT = MONGODB_REFRESH_CRONJOB;

/**
 * The official MongoDB 8.0.17 image (Ubuntu 24.04): it ships the MongoDB Database Tools 100.x
 * (mongodump, mongorestore) and runs them as the `mongodb` user (uid/gid 999). The digest is the
 * one public projects pin for this tag (e.g. novu's and pipeshub's compose files); confirm with
 * `crane digest docker.io/library/mongo:8.0.17` before the first deploy, as this environment could
 * not reach the registry.
 */
export const MONGODB_TOOLS_IMAGE = "docker.io/library/mongo:8.0.17@sha256:9814652e33f0cf8b9fddea8b46dfc9d8e19b130dcfdd7b510ca58bb0d40c8b71";
const MONGODB_UID = 999;

/** Where the copy is restored into, and how the restore treats it. */
export type MongoTarget =
  /** Atlas through its private SRV host, as `TARGET_USER` with the password file `target-password`. */
  | { readonly kind: "atlas"; readonly srvHost: string; readonly user: string }
  /** Cosmos DB for MongoDB through the account's connection string file `target-connection-string`. */
  | { readonly kind: "cosmos" };

const ARCHIVE = `${WORK_DIR}/mongodb.archive`;
const SOURCE_CONFIG = `${CREDENTIALS_SCRATCH_DIR}/source.yaml`;
const TARGET_CONFIG = `${CREDENTIALS_SCRATCH_DIR}/target.yaml`;

/** The dump step: the application database of the primary's DocumentDB into a gzipped archive. */
export function mongoDumpScript(): string {
  return [
    "set -eu",
    "umask 077",
    `printf 'uri: "mongodb://%s:%s@%s:27017/?tls=true&tlsCAFile=${CA_DIR}/bundle.pem&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authMechanism=SCRAM-SHA-1&authSource=admin"\\n' "$SOURCE_USER" "$(cat ${SECRETS_DIR}/source-password)" "$SOURCE_HOST" > ${SOURCE_CONFIG}`,
    `mongodump --config=${SOURCE_CONFIG} --db="$DATABASE" --archive=${ARCHIVE} --gzip --numParallelCollections=2`,
  ].join("\n");
}

/** The restore step: the archive into the copy, each collection dropped first. */
export function mongoRestoreScript(target: MongoTarget): string {
  const common = `mongorestore --config=${TARGET_CONFIG} --archive=${ARCHIVE} --gzip --nsInclude="$DATABASE.*" --drop --stopOnError`;
  const lines =
    target.kind === "atlas"
      ? [
          `printf 'uri: "mongodb+srv://%s:%s@%s/?authSource=admin&retryWrites=true&w=majority"\\n' "$TARGET_USER" "$(cat ${SECRETS_DIR}/target-password)" "$TARGET_HOST" > ${TARGET_CONFIG}`,
          common,
        ]
      : [
          `printf 'uri: "%s"\\n' "$(cat ${SECRETS_DIR}/target-connection-string)" > ${TARGET_CONFIG}`,
          `${common} --noIndexRestore --noOptionsRestore --numInsertionWorkersPerCollection=1 --batchSize=100`,
        ];
  return ["set -eu", "umask 077", ...lines, 'echo "refreshed $DATABASE from $SOURCE_HOST"'].join("\n");
}

/** Properties for {@link MongoRefreshJob}. */
export interface MongoRefreshJobProps {
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  /** DocumentDB's cluster endpoint, over the private link. */
  readonly sourceHost: string;
  readonly sourceUser: string;
  /** PEM bundle of the CAs that sign DocumentDB's server certificates (the RDS CA bundle). */
  readonly sourceCaBundle: string;
  readonly target: MongoTarget;
  /** The database copied. @default "addtocloud" */
  readonly database?: string;
  /**
   * The credentials as files: `source-password` and, for Atlas, `target-password` or, for Cosmos DB,
   * `target-connection-string`.
   */
  readonly secrets: CsiSecrets;
  /** The workload identity the CSI driver (and the archive step) act as. */
  readonly serviceAccountAnnotations?: Record<string, string>;
  readonly podLabels?: Record<string, string>;
  /** Upload every archive to this immutable Blob container (AKS workload identity). @default no archive */
  readonly dumpsUrl?: string;
  /** The largest archive expected, in GiB. @default 20 */
  readonly scratchGb?: number;
}

export class MongoRefreshJob extends DumpRestoreJob {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: MongoRefreshJobProps) {
    const env = [
      { name: "SOURCE_HOST", value: props.sourceHost },
      { name: "SOURCE_USER", value: props.sourceUser },
      ...(props.target.kind === "atlas"
        ? [
            { name: "TARGET_HOST", value: props.target.srvHost },
            { name: "TARGET_USER", value: props.target.user },
          ]
        : []),
      { name: "DATABASE", value: props.database ?? "addtocloud" },
    ];
    super(scope, id, ctx, {
      name: MONGODB_REFRESH_CRONJOB,
      schedule: props.schedule,
      env,
      secrets: props.secrets,
      sourceCaBundle: props.sourceCaBundle,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
      podLabels: props.podLabels,
      runAsUser: MONGODB_UID,
      dump: { image: MONGODB_TOOLS_IMAGE, command: ["/bin/sh", "-c", mongoDumpScript()] },
      restore: { image: MONGODB_TOOLS_IMAGE, command: ["/bin/sh", "-c", mongoRestoreScript(props.target)] },
      archive: props.dumpsUrl ? { image: UPLOADER_IMAGE, command: ["python3", "-c", blobUploadScript(ARCHIVE, "archive.gz")], url: props.dumpsUrl } : undefined,
      credentialsScratch: true,
      scratchGb: props.scratchGb,
    });
  }
}
