/**
 * A CronJob that refreshes a copy of one of the primary's databases: a dump step (init container)
 * reads the primary over the private link (TLS verified against the primary's CA bundle, a
 * ConfigMap), then a restore step loads the dump into the copy and, where given, an archive step
 * uploads the same dump to an immutable Blob container. Each engine brings its own scripts
 * (constructs/kubernetes/postgres-refresh-job.ts, mongodb-refresh-job.ts); this construct is
 * everything else, written once.
 *
 * Credentials are files of a Secrets Store CSI volume (Key Vault on AKS, Secret Manager through the
 * GKE add-on), read through the cloud's workload identity; no credential is an env value or a
 * Kubernetes Secret. Every container has requests and limits, runs as a non-root user with a
 * read-only root filesystem, no privilege escalation, no capabilities and the runtime's seccomp
 * profile. Images are pinned by digest by the callers.
 */
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Fn, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { copyCronJob } from "./copy-cronjob";
import { ManifestBundle } from "./manifest-bundle";
import { platformNamespace } from "./namespace";
import type { PlatformContext } from "./platform-context";

/** The namespace of every data-copy job (not sidecar-injected: a sidecar would keep a Job from completing). */
export const DATA_COPIES_NAMESPACE = "data-copies";

const namespaces = new WeakMap<TerraformStack, NamespaceV1>();

/**
 * The `data-copies` namespace, made once per stack (by the first job that asks, under its scope)
 * and shared by every data-copy job of the cluster: two jobs must not each declare it.
 */
export function dataCopiesNamespace(scope: Construct, ctx: PlatformContext): NamespaceV1 {
  const stack = TerraformStack.of(scope);
  let namespace = namespaces.get(stack);
  if (!namespace) {
    namespace = platformNamespace(scope, ctx, DATA_COPIES_NAMESPACE);
    namespaces.set(stack, namespace);
  }
  return namespace;
}

/** Where the credential files are mounted in the dump and restore containers. */
export const SECRETS_DIR = "/mnt/secrets";
/** Where the primary's CA bundle is mounted in the dump container (`bundle.pem`). */
export const CA_DIR = "/etc/source-ca";
/** The scratch volume the dump is written to and read from. */
export const WORK_DIR = "/work";
/** A memory-backed volume for files built from the credentials (e.g. a tool's config file), when asked for. */
export const CREDENTIALS_SCRATCH_DIR = "/run/credentials";

/** The CSI volume of a job's credentials and its SecretProviderClass spec. */
export interface CsiSecrets {
  readonly driver: string;
  readonly providerClassSpec: Record<string, unknown>;
}

/**
 * Key Vault secrets through the AKS Secrets Store CSI driver's Azure provider, read as the
 * user-assigned identity `clientId` (workload identity), each under its alias.
 */
export function keyVaultSecrets(props: {
  readonly clientId: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly objects: readonly { readonly objectName: string; readonly objectAlias: string }[];
}): CsiSecrets {
  return {
    driver: "secrets-store.csi.k8s.io",
    providerClassSpec: {
      provider: "azure",
      parameters: {
        usePodIdentity: "false",
        clientID: props.clientId,
        keyvaultName: props.keyVaultName,
        tenantId: props.tenantId,
        // The driver's format: a YAML list of YAML strings, one per object.
        objects: ["array:", ...props.objects.flatMap((o) => ["  - |", `    objectName: ${o.objectName}`, "    objectType: secret", `    objectAlias: ${o.objectAlias}`])].join("\n"),
      },
    },
  };
}

/**
 * Secret Manager secrets through GKE's managed Secret Manager add-on (`secret_manager_config` on the
 * cluster): its own CSI driver `secrets-store-gke.csi.k8s.io` and provider `gke`, each secret
 * (`projects/<project>/secrets/<id>`) at its latest version under the file name `path`. The driver
 * reads them as the pod's Kubernetes service account through Workload Identity Federation for GKE,
 * so that principal needs `roles/secretmanager.secretAccessor` on each secret.
 */
export function gkeSecretManagerSecrets(secrets: readonly { readonly secretId: string; readonly path: string }[]): CsiSecrets {
  return {
    driver: "secrets-store-gke.csi.k8s.io",
    providerClassSpec: {
      provider: "gke",
      parameters: {
        secrets: secrets.map((s) => `- resourceName: "${s.secretId}/versions/latest"\n  path: "${s.path}"`).join("\n"),
      },
    },
  };
}

/**
 * The Blob upload step (Python standard library only): exchanges the federated token the AKS
 * workload-identity webhook mounts (AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID, AZURE_TENANT_ID,
 * AZURE_AUTHORITY_HOST) for a Storage token, then puts `file` as 64 MiB blocks and commits the block
 * list, under `<yyyy>/<mm>/<dd>/<database>-<timestamp>.<extension>` of the container DUMPS_URL.
 */
export function blobUploadScript(file: string, extension: string): string {
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
    `url = env["DUMPS_URL"].rstrip("/") + now.strftime("/%Y/%m/%d/") + env["DATABASE"] + now.strftime("-%Y%m%dT%H%M%SZ.${extension}")`,
    'headers = {"Authorization": "Bearer " + token, "x-ms-version": "2021-08-06"}',
    "blocks = []",
    `with open("${file}", "rb") as dump:`,
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

/** One step of the job: its image and its command. */
export interface JobStep {
  readonly image: string;
  readonly command: string[];
}

/** Properties for {@link DumpRestoreJob}. */
export interface DumpRestoreJobProps {
  /** Name of the release, CronJob, service account and SecretProviderClass. */
  readonly name: string;
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  /** Non-secret values every step reads (hosts, user names, the database). */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly secrets: CsiSecrets;
  /** PEM bundle of the CAs that sign the primary's server certificate. */
  readonly sourceCaBundle: string;
  /** The workload identity: annotations of the service account and labels of the pod. */
  readonly serviceAccountAnnotations?: Record<string, string>;
  readonly podLabels?: Record<string, string>;
  /** The images' unprivileged user and group. */
  readonly runAsUser: number;
  readonly dump: JobStep;
  readonly restore: JobStep;
  /** Uploads the dump to the immutable container at `url` (env DUMPS_URL). @default no archive */
  readonly archive?: JobStep & { readonly url: string };
  /** Mount a memory-backed volume at {@link CREDENTIALS_SCRATCH_DIR} in the dump and restore steps. @default false */
  readonly credentialsScratch?: boolean;
  /**
   * The largest dump expected, in GiB (scratch space of the pod).
   * @default 20
   */
  readonly scratchGb?: number;
}

export class DumpRestoreJob extends Construct {
  readonly bundle: ManifestBundle;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: DumpRestoreJobProps) {
    super(scope, id);
    const scratch = props.scratchGb ?? 20;
    const namespace = dataCopiesNamespace(this, ctx);
    const labels = { "app.kubernetes.io/name": props.name, "app.kubernetes.io/part-of": "addtocloud-data" };
    const annotations = props.serviceAccountAnnotations ?? {};
    const caConfigMap = `${props.name}-source-ca`;
    // The dump container's scratch limit covers the emptyDir: the pod's effective limit is the
    // larger of the init container's and the sum of the others'.
    const container = (name: string, step: JobStep, variables: readonly { name: string; value: string }[], volumeMounts: Record<string, unknown>[], scratchLimitGb = 1) => ({
      name,
      image: step.image,
      command: step.command,
      // Fresh objects per container: a shared one would become a YAML alias in the release values.
      env: variables.map((variable) => ({ ...variable })),
      resources: {
        // The container that fills the scratch volume requests its size: the scheduler then places
        // the pod on a node with that much local disk free instead of evicting it mid-dump.
        requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": scratchLimitGb > 1 ? `${scratchLimitGb}Gi` : "256Mi" },
        limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": `${scratchLimitGb}Gi` },
      },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      volumeMounts,
    });
    // A function: a shared mount object would become a YAML alias in the release values.
    const credentials = () => (props.credentialsScratch ? [{ name: "credentials", mountPath: CREDENTIALS_SCRATCH_DIR }] : []);
    const containers = [
      container("restore", props.restore, props.env, [
        { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
        { name: "work", mountPath: WORK_DIR, readOnly: true },
        ...credentials(),
      ]),
    ];
    if (props.archive) {
      containers.push(container("archive", props.archive, [...props.env, { name: "DUMPS_URL", value: props.archive.url }], [{ name: "work", mountPath: WORK_DIR, readOnly: true }]));
    }
    this.bundle = new ManifestBundle(this, "manifests", {
      releaseName: props.name,
      namespace: DATA_COPIES_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [namespace],
      manifests: [
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: props.name, labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
          automountServiceAccountToken: false,
        },
        // Base64 (binaryData): the PEM's line breaks would otherwise be spliced into the release's YAML by Terraform.
        // Named after the job: every job of the cluster shares the namespace, and Helm refuses to
        // install an object another release already owns.
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: caConfigMap, labels }, binaryData: { "bundle.pem": Fn.base64encode(props.sourceCaBundle) } },
        {
          apiVersion: "secrets-store.csi.x-k8s.io/v1",
          kind: "SecretProviderClass",
          metadata: { name: props.name, labels },
          spec: props.secrets.providerClassSpec,
        },
        copyCronJob({
          name: props.name,
          labels,
          schedule: props.schedule,
          backoffLimit: 2,
          template: {
            metadata: { labels: { ...labels, ...props.podLabels } },
            spec: {
              serviceAccountName: props.name,
              // Workload-identity tokens are projected by the webhook or requested by the CSI driver; no API token is needed.
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: { runAsNonRoot: true, runAsUser: props.runAsUser, runAsGroup: props.runAsUser, fsGroup: props.runAsUser, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [
                container("dump", props.dump, props.env, [
                  { name: "secrets", mountPath: SECRETS_DIR, readOnly: true },
                  { name: "source-ca", mountPath: CA_DIR, readOnly: true },
                  { name: "work", mountPath: WORK_DIR },
                  ...credentials(),
                ], scratch + 1),
              ],
              containers,
              volumes: [
                { name: "secrets", csi: { driver: props.secrets.driver, readOnly: true, volumeAttributes: { secretProviderClass: props.name } } },
                { name: "source-ca", configMap: { name: caConfigMap } },
                { name: "work", emptyDir: { sizeLimit: `${scratch}Gi` } },
                ...(props.credentialsScratch ? [{ name: "credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }] : []),
              ],
            },
          },
        }),
      ],
    });
  }
}
