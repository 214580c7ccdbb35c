/**
 * Restores are tested, not assumed: a CronJob on the backup cloud's cluster takes the newest dump
 * from the immutable dumps container, restores it into a scratch database created for the run on
 * the backup server (`addtocloud_restore_check`, dropped at the end and at the start of the next
 * run), reads the canary row (`addtocloud_canary`, bumped every minute on the primary by pg_cron)
 * and pushes what it found to the cluster's Pushgateway, which Prometheus scrapes and remote-writes
 * to the hub, where the alert rules read it (data-copy-alerts.ts).
 *
 * Steps, each a container of one pod: `fetch` (init, Python: Entra token from the federated token
 * the workload-identity webhook mounts, List Blobs, download of the newest dump), `restore` (init,
 * PostgreSQL client: create, pg_restore, read the canary, drop) and `report` (Python: push the
 * metrics, exit non-zero when the check failed, so kube-state-metrics sees the failure too). A step
 * that fails records why in the scratch volume and lets the next run, so a failure is pushed as
 * `success 0` instead of silently leaving no metric. The backup server's admin password is a CSI
 * file from Key Vault; no credential is an env value or a Kubernetes Secret.
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { copyCronJob } from "./copy-cronjob";
import { RESTORE_CHECK_METRICS } from "./data-copy-alerts";
import { ManifestBundle } from "./manifest-bundle";
import type { PlatformContext } from "./platform-context";
import { POSTGRES_CLIENT_IMAGE, REFRESH_NAMESPACE, UPLOADER_IMAGE } from "./postgres-refresh-job";
import { keyVaultSecrets } from "./dump-restore-job";

export const RESTORE_CHECK_SERVICE_ACCOUNT = "postgres-restore-check";
export const RESTORE_CHECK_CRONJOB = "postgres-restore-check";
/** The `app.kubernetes.io/name` of the check's pods (the Pushgateway admits them). */
export const RESTORE_CHECK_APP = "postgres-restore-check";
/** The scratch database: created fresh by every run, dropped after it. Never an application database's name. */
export const SCRATCH_DATABASE = "addtocloud_restore_check";
/** The canary table on the primary: one row (id 1) whose `written_at` pg_cron bumps every minute. */
export const CANARY_TABLE = "addtocloud_canary";
/**
 * The most the canary in a dump may lag the dump's archive time. A refresh dumps, then restores and
 * archives side by side, so the blob is created up to one dump-and-restore after the snapshot; a
 * canary older than this means pg_cron stopped on the primary or the dump is of a stale copy.
 */
export const CANARY_MAX_LAG_SECONDS = 2 * 3600;

/** Properties for {@link PostgresRestoreCheckJob}. */
export interface PostgresRestoreCheckJobProps {
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  /** The backup server the dump is restored into, and its administrator. */
  readonly targetHost: string;
  readonly targetUser: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly targetSecretName: string;
  /** Client id of the identity federated to this job's service account (reads dumps, reads the secret). */
  readonly clientId: string;
  /** URL of the immutable dumps container. */
  readonly dumpsUrl: string;
  /** Push URL of the Pushgateway in the job's namespace, up to the grouping key, e.g. `http://prometheus-pushgateway:9091`. */
  readonly pushgatewayUrl: string;
  /** What must exist first: the namespace's release, the Pushgateway. */
  readonly dependsOn: readonly ITerraformDependable[];
  /** The largest dump expected, in GiB. @default 20 */
  readonly scratchGb?: number;
}

const SECRETS_DIR = "/mnt/secrets";
const WORK = "/work";

/** Shared by the two Python steps: the result file one step leaves for the next. */
const PY_FAIL = [
  "def fail(step, error):",
  `    with open("${WORK}/failed", "w") as out:`,
  '        out.write(step + ": " + str(error)[:500])',
  '    print(step, "failed:", error)',
];

/**
 * The fetch step: the newest blob (by creation time) ending in `.dump` of the container, downloaded
 * to the scratch volume; its name and creation time recorded beside it.
 */
export function fetchScript(): string {
  return [
    "import email.utils, json, os, time, urllib.parse, urllib.request, xml.etree.ElementTree as ET",
    ...PY_FAIL,
    `open("${WORK}/started", "w").write(str(time.time()))`,
    "try:",
    "    env = os.environ",
    "    form = urllib.parse.urlencode({",
    '        "client_id": env["AZURE_CLIENT_ID"], "scope": "https://storage.azure.com/.default", "grant_type": "client_credentials",',
    '        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",',
    '        "client_assertion": open(env["AZURE_FEDERATED_TOKEN_FILE"]).read()}).encode()',
    '    authority = env["AZURE_AUTHORITY_HOST"].rstrip("/") + "/" + env["AZURE_TENANT_ID"] + "/oauth2/v2.0/token"',
    '    token = json.load(urllib.request.urlopen(urllib.request.Request(authority, form)))["access_token"]',
    '    headers = {"Authorization": "Bearer " + token, "x-ms-version": "2021-08-06"}',
    '    base = env["DUMPS_URL"].rstrip("/")',
    '    newest, marker = None, ""',
    "    while True:",
    '        query = "?restype=container&comp=list&maxresults=5000" + ("&marker=" + urllib.parse.quote(marker) if marker else "")',
    "        listing = ET.parse(urllib.request.urlopen(urllib.request.Request(base + query, headers=headers))).getroot()",
    '        for blob in listing.iter("Blob"):',
    '            name = blob.findtext("Name")',
    '            created = email.utils.parsedate_to_datetime(blob.findtext("Properties/Creation-Time")).timestamp()',
    '            if name.endswith(".dump") and (newest is None or created > newest[1]):',
    "                newest = (name, created)",
    '        marker = listing.findtext("NextMarker") or ""',
    "        if not marker:",
    "            break",
    "    if newest is None:",
    '        raise RuntimeError("no dump in " + base)',
    '    blob = urllib.request.urlopen(urllib.request.Request(base + "/" + urllib.parse.quote(newest[0]), headers=headers))',
    `    with open("${WORK}/verify.dump", "wb") as out:`,
    "        while chunk := blob.read(8 * 1024 * 1024):",
    "            out.write(chunk)",
    `    json.dump({"name": newest[0], "created": newest[1]}, open("${WORK}/dump.json", "w"))`,
    '    print("fetched", newest[0])',
    "except Exception as error:",
    '    fail("fetch", error)',
  ].join("\n");
}

/**
 * The restore step: a fresh scratch database (dropped first if a killed run left one), the dump
 * restored into it, the canary read, the scratch database dropped again whatever happened.
 */
export function restoreCheckScript(): string {
  const server = `host=$TARGET_HOST port=5432 user=$TARGET_USER sslmode=verify-full sslrootcert=system`;
  const drop = `psql "${server} dbname=postgres" -v ON_ERROR_STOP=1 -c 'DROP DATABASE IF EXISTS ${SCRATCH_DATABASE} WITH (FORCE)'`;
  return [
    "set -u",
    `[ -e ${WORK}/failed ] && exit 0`,
    `PGPASSWORD="$(cat ${SECRETS_DIR}/target-password)"`,
    "export PGPASSWORD",
    // One && chain: `set -e` is ignored inside an `if` condition, so every step's status is tested.
    `if ${drop} \\`,
    `  && psql "${server} dbname=postgres" -v ON_ERROR_STOP=1 -c 'CREATE DATABASE ${SCRATCH_DATABASE}' \\`,
    `  && pg_restore --dbname="${server} dbname=${SCRATCH_DATABASE}" --no-owner --no-privileges --exit-on-error ${WORK}/verify.dump \\`,
    `  && psql "${server} dbname=${SCRATCH_DATABASE}" -v ON_ERROR_STOP=1 -At -c 'SELECT floor(extract(epoch FROM written_at))::bigint FROM public.${CANARY_TABLE} WHERE id = 1' > ${WORK}/canary \\`,
    `  && [ -s ${WORK}/canary ]; then`,
    '  echo "restored and read the canary"',
    "else",
    `  echo "restore: pg_restore or the canary query failed (see this container's log)" > ${WORK}/failed`,
    "fi",
    `${drop} || echo "could not drop ${SCRATCH_DATABASE}; the next run drops it"`,
  ].join("\n");
}

/**
 * The report step: checks the canary against the dump's time, pushes the metrics (POST keeps the
 * last success's metrics when this run failed) and exits non-zero when the check failed.
 */
export function reportScript(): string {
  const m = RESTORE_CHECK_METRICS;
  return [
    "import json, os, time, urllib.request",
    ...PY_FAIL,
    "env = os.environ",
    "now = time.time()",
    `started = float(open("${WORK}/started").read()) if os.path.exists("${WORK}/started") else now`,
    `if not os.path.exists("${WORK}/failed"):`,
    `    dump = json.load(open("${WORK}/dump.json"))`,
    `    canary = int(open("${WORK}/canary").read().strip())`,
    `    if dump["created"] - canary > ${CANARY_MAX_LAG_SECONDS}:`,
    '        fail("canary", "written %d s before the dump %s was archived" % (dump["created"] - canary, dump["name"]))',
    `failed = os.path.exists("${WORK}/failed")`,
    `values = {"${m.success}": 0 if failed else 1, "${m.lastRun}": now, "${m.duration}": now - started}`,
    "if not failed:",
    `    values.update({"${m.lastSuccess}": now, "${m.verifiedDump}": dump["created"], "${m.canary}": canary})`,
    'body = "".join("# TYPE %s gauge\\n%s %f\\n" % (name, name, value) for name, value in values.items())',
    'url = env["PUSHGATEWAY_URL"].rstrip("/") + "/metrics/job/restore-check/engine/" + env["ENGINE"]',
    'urllib.request.urlopen(urllib.request.Request(url, body.encode(), {"Content-Type": "text/plain; version=0.0.4"}, method="POST")).close()',
    "if failed:",
    `    print(open("${WORK}/failed").read())`,
    "    raise SystemExit(1)",
    `print("verified", dump["name"], "canary", canary)`,
  ].join("\n");
}

export class PostgresRestoreCheckJob extends Construct {
  readonly bundle: ManifestBundle;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PostgresRestoreCheckJobProps) {
    super(scope, id);
    const scratch = props.scratchGb ?? 20;
    // Copied at each use: a shared object would become a YAML alias in the release values.
    const labels = { "app.kubernetes.io/name": RESTORE_CHECK_APP, "app.kubernetes.io/part-of": "addtocloud-data" };
    const container = (name: string, image: string, command: string[], env: { name: string; value: string }[], volumeMounts: Record<string, unknown>[], scratchLimitGb = 1) => ({
      name,
      image,
      command,
      env: env.map((variable) => ({ ...variable })),
      resources: {
        // The container that fills the scratch volume requests its size: the scheduler then places
        // the pod on a node with that much local disk free instead of evicting it mid-dump.
        requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": scratchLimitGb > 1 ? `${scratchLimitGb}Gi` : "256Mi" },
        limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": `${scratchLimitGb}Gi` },
      },
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      volumeMounts: volumeMounts.map((mount) => ({ ...mount })),
    });
    const work = { name: "work", mountPath: WORK };
    this.bundle = new ManifestBundle(this, "manifests", {
      releaseName: "postgres-restore-check",
      namespace: REFRESH_NAMESPACE,
      provider: ctx.helm,
      dependsOn: props.dependsOn,
      manifests: [
        {
          apiVersion: "v1",
          kind: "ServiceAccount",
          metadata: { name: RESTORE_CHECK_SERVICE_ACCOUNT, labels: { ...labels }, annotations: { "azure.workload.identity/client-id": props.clientId } },
          automountServiceAccountToken: false,
        },
        {
          apiVersion: "secrets-store.csi.x-k8s.io/v1",
          kind: "SecretProviderClass",
          metadata: { name: "postgres-restore-check", labels: { ...labels } },
          spec: keyVaultSecrets({
            clientId: props.clientId,
            keyVaultName: props.keyVaultName,
            tenantId: props.tenantId,
            objects: [{ objectName: props.targetSecretName, objectAlias: "target-password" }],
          }).providerClassSpec,
        },
        copyCronJob({
          name: RESTORE_CHECK_CRONJOB,
          labels,
          schedule: props.schedule,
          // A failed check is pushed as such; one retry covers a node lost mid-run.
          backoffLimit: 1,
          template: {
            metadata: { labels: { ...labels, "azure.workload.identity/use": "true" } },
            spec: {
              serviceAccountName: RESTORE_CHECK_SERVICE_ACCOUNT,
              automountServiceAccountToken: false,
              restartPolicy: "Never",
              securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, fsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [
                container("fetch", UPLOADER_IMAGE, ["python3", "-c", fetchScript()], [{ name: "DUMPS_URL", value: props.dumpsUrl }], [work], scratch + 1),
                container("restore", POSTGRES_CLIENT_IMAGE, ["/bin/sh", "-c", restoreCheckScript()], [
                  { name: "TARGET_HOST", value: props.targetHost },
                  { name: "TARGET_USER", value: props.targetUser },
                ], [{ name: "secrets", mountPath: SECRETS_DIR, readOnly: true }, work]),
              ],
              containers: [
                container("report", UPLOADER_IMAGE, ["python3", "-c", reportScript()], [
                  { name: "PUSHGATEWAY_URL", value: props.pushgatewayUrl },
                  { name: "ENGINE", value: "postgres" },
                ], [work]),
              ],
              volumes: [
                { name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "postgres-restore-check" } } },
                { name: "work", emptyDir: { sizeLimit: `${scratch}Gi` } },
              ],
            },
          },
        }),
      ],
    });
  }
}
