/**
 * A CronJob that brings a Blob container up to date with the primary's S3 bucket: `rclone copy`
 * (never `sync`, `move` or a `--delete*` flag), so what S3 deletes stays in the container and the
 * container's blob versioning keeps every overwritten generation.
 *
 * No key anywhere. The pod reads S3 as an AWS role through web identity: a projected token of its
 * service account with audience `sts.amazonaws.com` (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE;
 * rclone's s3 `env_auth` loads the AWS SDK's default chain, which exchanges it). It writes Blob
 * Storage as a user-assigned identity through Azure workload identity: the webhook mounts its own
 * token (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID) and rclone's azureblob
 * `env_auth` builds azidentity's DefaultAzureCredential, whose chain holds WorkloadIdentityCredential
 * (rclone v1.75.0 backend/azureblob/auth/auth.go; docs/content/azureblob.md "Env Auth: 4. Workload Identity").
 * Remotes are defined by RCLONE_CONFIG_<NAME>_* variables; no config file is read or written.
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { copyCronJob } from "./copy-cronjob";
import { ManifestBundle } from "./manifest-bundle";
import type { PlatformContext } from "./platform-context";
import { REFRESH_NAMESPACE } from "./postgres-refresh-job";

/** Namespace of the copy jobs, `data-copies` (not sidecar-injected: a sidecar would keep the Job from completing). */
export const OBJECTS_COPY_NAMESPACE = REFRESH_NAMESPACE;
/** The service account the AWS role and the Azure identity trust, exactly. */
export const OBJECTS_COPY_SERVICE_ACCOUNT = "objects-copy";
/** Name of the CronJob (alert rules select its kube-state-metrics series by it). */
export const OBJECTS_COPY_CRONJOB = "objects-copy";
/** Audience of the projected token the AWS role accepts (and the IAM OIDC provider's client id). */
export const OBJECTS_COPY_AWS_AUDIENCE = "sts.amazonaws.com";

/**
 * The official rclone image, v1.75.0 (its multi-architecture index digest, as several public
 * projects pin `rclone/rclone:1.75.0@sha256:b06aed98...`; confirm with `crane digest` before the
 * first deploy, this environment could not reach the registry). The image's user is rclone (1009).
 */
export const RCLONE_IMAGE = "docker.io/rclone/rclone:1.75.0@sha256:b06aed988cf5967de7c25be5925240983981c757f4ed1ac9d2fa659d51d60548";
const RCLONE_UID = 1009;

/** Where the AWS token is mounted. */
const AWS_TOKEN_DIR = "/var/run/secrets/aws/tokens";
/** Writable scratch (rclone's cache and HOME; the root filesystem is read-only). */
const SCRATCH_DIR = "/tmp";

/** Properties for {@link ObjectsCopyJob}. */
export interface ObjectsCopyJobProps {
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  /** The `data-copies` namespace (created once for every copy job of the cluster). */
  readonly namespace: ITerraformDependable;
  readonly sourceBucket: string;
  readonly sourceRegion: string;
  /** The AWS role the job assumes with its projected token. */
  readonly roleArn: string;
  /** Client id of the user-assigned identity federated to the job's service account. */
  readonly clientId: string;
  readonly targetAccount: string;
  readonly targetContainer: string;
}

/** The rclone command line: copy only, the container already exists (the identity may not create one). */
export function rcloneArgs(props: Pick<ObjectsCopyJobProps, "sourceBucket" | "targetContainer">): string[] {
  return [
    "copy",
    `primary:${props.sourceBucket}`,
    `backup:${props.targetContainer}`,
    // The identity holds a data role on this container only: no container check or creation.
    "--azureblob-no-check-container",
    "--transfers=4",
    "--checkers=8",
    "--stats=5m",
    "--stats-one-line",
    "--stats-log-level=NOTICE",
    "--log-level=NOTICE",
  ];
}

export class ObjectsCopyJob extends Construct {
  readonly bundle: ManifestBundle;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ObjectsCopyJobProps) {
    super(scope, id);
    // Fresh copies at each use: a shared object would become a YAML alias in the release values.
    const labels = { "app.kubernetes.io/name": "objects-copy", "app.kubernetes.io/part-of": "addtocloud-data" };
    const env = [
      // The source: S3 with the SDK's default chain (web identity from the two AWS_* variables below).
      { name: "RCLONE_CONFIG_PRIMARY_TYPE", value: "s3" },
      { name: "RCLONE_CONFIG_PRIMARY_PROVIDER", value: "AWS" },
      { name: "RCLONE_CONFIG_PRIMARY_ENV_AUTH", value: "true" },
      { name: "RCLONE_CONFIG_PRIMARY_REGION", value: props.sourceRegion },
      // The bucket encrypts with SSE-KMS, whose ETags are not MD5s of the data. Only this option
      // tells rclone so (backend/s3/s3.go at v1.75.0: etagIsNotMD5); without it rclone takes a
      // single-part object's ETag for its MD5 and writes it as the blob's Content-MD5, so every
      // copied blob carries a wrong hash (a checked download of it fails) and rclone's own
      // post-copy hash check compares that ETag with itself. Reads need no key id.
      { name: "RCLONE_CONFIG_PRIMARY_SERVER_SIDE_ENCRYPTION", value: "aws:kms" },
      { name: "AWS_REGION", value: props.sourceRegion },
      { name: "AWS_ROLE_ARN", value: props.roleArn },
      { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: `${AWS_TOKEN_DIR}/token` },
      { name: "AWS_ROLE_SESSION_NAME", value: OBJECTS_COPY_CRONJOB },
      // The target: Blob Storage through the workload identity the webhook injects.
      { name: "RCLONE_CONFIG_BACKUP_TYPE", value: "azureblob" },
      { name: "RCLONE_CONFIG_BACKUP_ACCOUNT", value: props.targetAccount },
      { name: "RCLONE_CONFIG_BACKUP_ENV_AUTH", value: "true" },
      // No config file: the remotes above are all there is. Cache and HOME on the scratch volume.
      { name: "RCLONE_CONFIG", value: `${SCRATCH_DIR}/rclone.conf` },
      { name: "RCLONE_CACHE_DIR", value: `${SCRATCH_DIR}/cache` },
      { name: "HOME", value: SCRATCH_DIR },
    ];
    this.bundle = new ManifestBundle(this, "manifests", {
      releaseName: "objects-copy",
      namespace: OBJECTS_COPY_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [props.namespace],
      manifests: [
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: OBJECTS_COPY_SERVICE_ACCOUNT, labels: { ...labels }, annotations: { "azure.workload.identity/client-id": props.clientId } },
          automountServiceAccountToken: false,
        },
        copyCronJob({
          name: OBJECTS_COPY_CRONJOB,
          labels,
          schedule: props.schedule,
          backoffLimit: 2,
          startingDeadlineSeconds: 1800,
          template: {
            metadata: { labels: { ...labels, "azure.workload.identity/use": "true" } },
            spec: {
              serviceAccountName: OBJECTS_COPY_SERVICE_ACCOUNT,
              // Both tokens are projected (the AWS one below, the Azure one by the webhook); no API token.
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RCLONE_UID,
                runAsGroup: RCLONE_UID,
                fsGroup: RCLONE_UID,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: "rclone",
                  image: RCLONE_IMAGE,
                  command: ["rclone"],
                  args: rcloneArgs(props),
                  env: env.map((variable) => ({ ...variable })),
                  resources: {
                    requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": "576Mi" },
                    // Uploads buffer transfers x azureblob upload_concurrency (16) x chunk (4 MiB) = 256 MiB.
                    limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "1Gi" },
                  },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  volumeMounts: [
                    { name: "aws-token", mountPath: AWS_TOKEN_DIR, readOnly: true },
                    { name: "scratch", mountPath: SCRATCH_DIR },
                  ],
                },
              ],
              volumes: [
                {
                  name: "aws-token",
                  projected: {
                    sources: [{ serviceAccountToken: { audience: OBJECTS_COPY_AWS_AUDIENCE, expirationSeconds: 3600, path: "token" } }],
                  },
                },
                { name: "scratch", emptyDir: { sizeLimit: "512Mi" } },
              ],
            },
          },
        }),
      ],
    });
  }
}
