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
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ManifestBundle } from "./manifest-bundle";
import { platformNamespace } from "./namespace";
import type { PlatformContext } from "./platform-context";

export const REFRESH_NAMESPACE = "data-copies";
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

const SECRETS_DIR = "/mnt/secrets";
const CA_DIR = "/etc/source-ca";

const DUMP = "/work/refresh.dump";

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

/**
 * The upload step: exchanges the federated token the workload-identity webhook mounts
 * (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_AUTHORITY_HOST) for a
 * Storage token, then puts the dump as 64 MiB blocks and commits the block list, under
 * `<yyyy>/<mm>/<dd>/<database>-<timestamp>.dump`.
 */
export function uploadScript(): string {
  return [
    "import base64, datetime, json, os, urllib.parse, urllib.request",
    "env = os.environ",
    "form = urllib.parse.urlencode({",
    '    "client_id": env["AZURE_CLIENT_ID"], "scope": "https://storage.azure.com/.default", "grant_type": "client_credentials",',
    '    "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",',
    '    "client_assertion": open(env["AZURE_FEDERATED_TOKEN_FILE"]).read()}).encode()',
    'authority = env["AZURE_AUTHORITY_HOST"].rstrip("/") + "/" + env["AZURE_TENANT_ID"] + "/oauth2/v2.0/token"',
    'token = json.load(urllib.request.urlopen(urllib.request.Request(authority, form)))["access_token"]',
    'now = datetime.datetime.now(datetime.timezone.utc)',
    'url = env["DUMPS_URL"].rstrip("/") + now.strftime("/%Y/%m/%d/") + env["DATABASE"] + now.strftime("-%Y%m%dT%H%M%SZ.dump")',
    'headers = {"Authorization": "Bearer " + token, "x-ms-version": "2021-08-06"}',
    "blocks = []",
    `with open("${DUMP}", "rb") as dump:`,
    "    while chunk := dump.read(64 * 1024 * 1024):",
    '        block = base64.b64encode(str(len(blocks)).zfill(8).encode()).decode()',
    '        put = urllib.request.Request(url + "?comp=block&blockid=" + urllib.parse.quote(block), chunk, headers, method="PUT")',
    "        urllib.request.urlopen(put).close()",
    "        blocks.append(block)",
    'body = "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?><BlockList>" + "".join("<Latest>" + b + "</Latest>" for b in blocks) + "</BlockList>"',
    'urllib.request.urlopen(urllib.request.Request(url + "?comp=blocklist", body.encode(), headers, method="PUT")).close()',
    'print("archived", url)',
  ].join("\n");
}

export class PostgresRefreshJob extends Construct {
  readonly bundle: ManifestBundle;
  /** The `data-copies` namespace, which the cluster's other copy jobs share. */
  readonly namespace: NamespaceV1;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PostgresRefreshJobProps) {
    super(scope, id);
    const scratch = props.scratchGb ?? 20;
    const namespace = platformNamespace(this, ctx, REFRESH_NAMESPACE);
    this.namespace = namespace;
    const labels = { "app.kubernetes.io/name": "postgres-refresh", "app.kubernetes.io/part-of": "addtocloud-data" };
    const secretObjects = [
      { objectName: props.sourceSecretName, objectAlias: "source-password" },
      { objectName: props.targetSecretName, objectAlias: "target-password" },
    ];
    const env = [
      { name: "SOURCE_HOST", value: props.sourceHost },
      { name: "SOURCE_USER", value: props.sourceUser },
      { name: "TARGET_HOST", value: props.targetHost },
      { name: "TARGET_USER", value: props.targetUser },
      { name: "DATABASE", value: props.database ?? "addtocloud" },
    ];
    // The dump container's scratch limit covers the emptyDir: the pod's effective limit is the
    // larger of the init container's and the sum of the others'.
    const container = (name: string, image: string, command: string[], variables: { name: string; value: string }[], volumeMounts: Record<string, unknown>[], scratchLimitGb = 1) => ({
      name,
      image,
      command,
      // Fresh objects per container: a shared one would become a YAML alias in the release values.
      env: variables.map((variable) => ({ ...variable })),
      resources: {
        requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "256Mi" },
        limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": `${scratchLimitGb}Gi` },
      },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      volumeMounts,
    });
    this.bundle = new ManifestBundle(this, "manifests", {
      releaseName: "postgres-refresh",
      namespace: REFRESH_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [namespace],
      manifests: [
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: REFRESH_SERVICE_ACCOUNT, labels, annotations: { "azure.workload.identity/client-id": props.clientId } },
          automountServiceAccountToken: false,
        },
        // Base64 (binaryData): the PEM's line breaks would otherwise be spliced into the release's YAML by Terraform.
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "source-ca", labels }, binaryData: { "bundle.pem": Fn.base64encode(props.sourceCaBundle) } },
        {
          apiVersion: "secrets-store.csi.x-k8s.io/v1",
          kind: "SecretProviderClass",
          metadata: { name: "postgres-refresh", labels },
          spec: {
            provider: "azure",
            parameters: {
              usePodIdentity: "false",
              clientID: props.clientId,
              keyvaultName: props.keyVaultName,
              tenantId: props.tenantId,
              // The driver's format: a YAML list of YAML strings, one per object.
              objects: ["array:", ...secretObjects.flatMap((o) => ["  - |", `    objectName: ${o.objectName}`, "    objectType: secret", `    objectAlias: ${o.objectAlias}`])].join("\n"),
            },
          },
        },
        {
          apiVersion: "batch/v1",
          kind: "CronJob",
          metadata: { name: REFRESH_CRONJOB, labels },
          spec: {
            schedule: props.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
              metadata: { labels },
              spec: {
                backoffLimit: 2,
                activeDeadlineSeconds: 6 * 3600,
                ttlSecondsAfterFinished: 7 * 86400,
                template: {
                  metadata: { labels: { ...labels, "azure.workload.identity/use": "true" } },
                  spec: {
                    serviceAccountName: REFRESH_SERVICE_ACCOUNT,
                    // The projected workload-identity token is mounted by the webhook; no API token is needed.
                    automountServiceAccountToken: false,
                    restartPolicy: "Never",
                    securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
                    initContainers: [
                      container("dump", POSTGRES_CLIENT_IMAGE, ["/bin/sh", "-c", dumpScript()], env, [
                        { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                        { name: "source-ca", mountPath: CA_DIR, readOnly: true },
                        { name: "work", mountPath: "/work" },
                      ], scratch + 1),
                    ],
                    containers: [
                      container("restore", POSTGRES_CLIENT_IMAGE, ["/bin/sh", "-c", restoreScript()], env, [
                        { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                        { name: "work", mountPath: "/work", readOnly: true },
                      ]),
                      container("archive", UPLOADER_IMAGE, ["python3", "-c", uploadScript()], [...env, { name: "DUMPS_URL", value: props.dumpsUrl }], [
                        { name: "work", mountPath: "/work", readOnly: true },
                      ]),
                    ],
                    volumes: [
                      { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "postgres-refresh" } } },
                      { name: "source-ca", configMap: { name: "source-ca" } },
                      { name: "work", emptyDir: { sizeLimit: `${scratch}Gi` } },
                    ],
                  },
                },
              },
            },
          },
        },
      ],
    });
  }
}
