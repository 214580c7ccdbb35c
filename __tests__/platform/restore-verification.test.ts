/**
 * Restores are tested, not assumed (issue 14): over every stack of every shipped environment,
 * - the restore check runs exactly where Azure archives dumps (and its cluster has Prometheus), on
 *   the configured schedule, with digest-pinned images, resource limits, no credential as an env
 *   value, its own identity (read-only on the dumps container, one secret), a scratch database it
 *   creates and drops, and a Pushgateway its Prometheus scrapes;
 * - the GCP replica's lag reaches Prometheus through the Stackdriver exporter, whose Google identity
 *   may only read monitoring data, and the GCP cluster remote-writes it to the hub;
 * - the hub's rules: every one with `for`, severity, summary and a runbook that exists, thresholds
 *   from config, and the restore check's metric names are those the alerts read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CronExpressionParser } from "cron-parser";
import { parse } from "yaml";
import { CHARTS } from "../../constructs/kubernetes/charts";
import { RESTORE_CHECK_METRICS } from "../../constructs/kubernetes/data-copy-alerts";
import { PUSHGATEWAY_IMAGE } from "../../constructs/kubernetes/pushgateway";
import { DMS_LAG_METRIC_TYPE, STACKDRIVER_EXPORTER_IMAGE } from "../../constructs/kubernetes/replication-lag-exporter";
import { CANARY_TABLE, SCRATCH_DATABASE, fetchScript, reportScript, restoreCheckScript } from "../../constructs/kubernetes/restore-check-job";
import { addonEnabled } from "../../modules/config/clouds/platform";
import { copyingClouds } from "../../modules/config/data-roles";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { TerraformJson, buildStacks, resourcesOf, shippedEnvironment, shippedEnvironments, synthJson } from "../support/synth";

const envs = shippedEnvironments();
const synthesized = envs.flatMap((env) => [...buildStacks([env]).stacks.entries()].map(([id, stack]) => ({ id, env, cloud: stack.cloud, layer: stack.layer, json: synthJson(stack) })));
const platforms = synthesized.filter((s) => s.layer === "platform");

const releases = (json: TerraformJson) => Object.entries(resourcesOf(json, "helm_release")).map(([key, r]: [string, any]) => ({ key, ...r }));
const release = (json: TerraformJson, name: string) => releases(json).find((r) => r.name === name);
const valuesOf = (r: any) => parse(r.values[0]);
const azureArchives = (env: EnvironmentConfig) => !!env.clouds.azure && !!env.clouds.aws && copyingClouds(env, "postgres").includes("azure");
const gcpReplicates = (env: EnvironmentConfig) => !!env.clouds.gcp && !!env.clouds.aws && copyingClouds(env, "postgres").includes("gcp");
const DIGEST = /@sha256:[0-9a-f]{64}$/;

test("the shipped matrix exercises both paths: production verifies Azure's dumps, both environments bound GCP's lag", () => {
  expect(envs.filter(azureArchives).map((e) => e.name)).toEqual(["production"]);
  expect(envs.filter(gcpReplicates).map((e) => e.name).sort()).toEqual(["production", "staging"]);
});

/** The longest gap, in hours, between two runs of a cron schedule over four weeks (UTC). */
function longestGapHours(schedule: string): number {
  const runs = CronExpressionParser.parse(schedule, { currentDate: new Date("2027-01-01T00:00:00Z"), tz: "Etc/UTC" });
  let previous = runs.next().getTime();
  let longest = 0;
  for (let i = 0; i < 500; i++) {
    const next = runs.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest / 3_600_000;
}

test.each(envs.filter(azureArchives).map((env) => [env.name, env] as const))("%s: the schedules keep a verified dump under the hub's 26 h between checks (no daily false page)", (_name, env) => {
  // Just before a check, the verified dump is as old as the refresh gap (the newest dump's age at the
  // last check, at worst) plus the gap between checks; an hour is left for the dump and the upload.
  const { refreshSchedule, verifySchedule } = env.dataCopies.postgres;
  expect(longestGapHours(refreshSchedule) + longestGapHours(verifySchedule) + 1).toBeLessThan(26);
});

describe("where the restore check runs", () => {
  test.each(platforms.map((s) => [s.id, s] as const))("%s runs it (and its Pushgateway) only on Azure archiving dumps", (_id, s) => {
    const expected = s.cloud === "azure" && azureArchives(s.env) && addonEnabled(s.env.platform, "azure", "monitoring");
    expect(release(s.json, "postgres-restore-check") !== undefined).toBe(expected);
    expect(release(s.json, "prometheus-pushgateway") !== undefined).toBe(expected);
  });
});

const checks = platforms.filter((s) => release(s.json, "postgres-restore-check"));

describe.each(checks.map((s) => [s.id, s] as const))("%s: the restore check", (_id, s) => {
  const manifests: any[] = valuesOf(release(s.json, "postgres-restore-check")).resources;
  const cron = manifests.find((m) => m.kind === "CronJob");
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const containers: any[] = [...pod.initContainers, ...pod.containers];
  const gateway = release(s.json, "prometheus-pushgateway");

  test("runs on dataCopies.postgres.verifySchedule, in UTC, one run at a time", () => {
    expect(cron.spec).toMatchObject({ schedule: s.env.dataCopies.postgres.verifySchedule, timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
  });

  test("fetches, restores and checks (init containers), then reports; each script reaches the pod exactly as written (Python is indentation-sensitive)", () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["fetch", "restore"]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(["report"]);
    expect(pod.initContainers.map((c: any) => c.command)).toEqual([["python3", "-c", fetchScript()], ["/bin/sh", "-c", restoreCheckScript()]]);
    expect(pod.containers[0].command).toEqual(["python3", "-c", reportScript()]);
    expect(release(s.json, "postgres-restore-check").values[0]).not.toMatch(/[&*]a\d+\b/); // no YAML alias
  });

  test("every image is pinned by digest, every container is limited and runs read-only without privileges", () => {
    for (const c of containers) {
      expect(c.image).toMatch(DIGEST);
      expect(Object.keys(c.resources.limits).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  });

  test("no credential is an env value or a Secret: the one password is a CSI file of the admin secret only", () => {
    for (const v of containers.flatMap((c) => c.env)) {
      expect(v.valueFrom).toBeUndefined();
      expect(v.name).not.toMatch(/PASSWORD|SECRET|TOKEN|KEY/i);
      expect(String(v.value)).toMatch(/^(\$\{data\.terraform_remote_state\.azure_data\.outputs\.(postgres_endpoint|postgres_admin_login|postgres_dumps_url)\}|http:\/\/prometheus-pushgateway:9091|postgres)$/);
    }
    expect(manifests.map((m) => m.kind)).not.toContain("Secret");
    const provider = manifests.find((m) => m.kind === "SecretProviderClass");
    expect(parse(provider.spec.parameters.objects).array.map((o: string) => parse(o).objectName)).toEqual(["${data.terraform_remote_state.azure_data.outputs.postgres_admin_secret_name}"]);
    expect(pod.volumes.find((v: any) => v.csi).csi.volumeAttributes).toEqual({ secretProviderClass: provider.metadata.name });
  });

  test("runs as its own workload identity (not the refresh job's)", () => {
    const account = manifests.find((m) => m.kind === "ServiceAccount");
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(account.metadata.annotations["azure.workload.identity/client-id"]).toBe("${data.terraform_remote_state.azure_data.outputs.postgres_restore_check_client_id}");
    expect(cron.spec.jobTemplate.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
  });

  test("creates a fresh scratch database, restores into it, reads the canary and drops it; never touches the application database", () => {
    const script = restoreCheckScript();
    expect(pod.initContainers[1].command[2]).toBe(script);
    const drop = `DROP DATABASE IF EXISTS ${SCRATCH_DATABASE} WITH (FORCE)`;
    expect(script.split(drop)).toHaveLength(3); // before the restore (a killed run's leftover) and after it
    expect(script.indexOf(`CREATE DATABASE ${SCRATCH_DATABASE}`)).toBeGreaterThan(script.indexOf(drop));
    expect(script).toContain(`dbname=${SCRATCH_DATABASE}" --no-owner --no-privileges --exit-on-error`);
    expect(script).toContain(`FROM public.${CANARY_TABLE} WHERE id = 1`);
    expect(script).not.toMatch(/DROP DATABASE (IF EXISTS )?addtocloud\b(?!_restore_check)/);
    expect(SCRATCH_DATABASE).not.toBe("addtocloud");
  });

  test("pushes every metric the hub's rules read to its Pushgateway, installed first in the same non-injected namespace", () => {
    for (const name of Object.values(RESTORE_CHECK_METRICS)) expect(reportScript()).toContain(`"${name}"`);
    expect(gateway.namespace).toBe(release(s.json, "postgres-restore-check").namespace);
    expect(release(s.json, "postgres-restore-check").depends_on).toContain(`helm_release.${gateway.key}`);
    const namespace = Object.values(resourcesOf(s.json, "kubernetes_namespace_v1")).find((n: any) => n.metadata[0]?.name === gateway.namespace || n.metadata?.name === gateway.namespace) as any;
    const labels = (Array.isArray(namespace.metadata) ? namespace.metadata[0] : namespace.metadata).labels ?? {};
    expect(labels["istio-injection"]).toBeUndefined();
  });
});

describe.each(checks.map((s) => [s.id, s] as const))("%s: the Pushgateway (prometheus-pushgateway 3.8.0 values)", (_id, s) => {
  const gateway = release(s.json, "prometheus-pushgateway");
  const values = valuesOf(gateway);
  const kps = releases(s.json).find((r) => r.chart === "kube-prometheus-stack");

  test("is the pinned chart with the digest-pinned image (the chart renders <repository>:<tag>)", () => {
    expect({ chart: gateway.chart, repository: gateway.repository, version: gateway.version }).toEqual(CHARTS.prometheusPushgateway);
    expect(`${values.image.repository}:${values.image.tag}`).toMatch(/^docker\.io\/prom\/pushgateway:v1\.11\.3@sha256:[0-9a-f]{64}$/);
    expect(values.image).toEqual(PUSHGATEWAY_IMAGE);
  });

  test("is limited, unprivileged, read-only, and keeps pushed metrics across restarts", () => {
    expect(Object.keys(values.resources.limits).sort()).toEqual(["cpu", "memory"]);
    expect(values.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(values.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(values.automountServiceAccountToken).toBe(false);
    expect(values.persistentVolume.enabled).toBe(true);
    expect(values.extraArgs).toContain(`--persistence.file=${"/data"}/pushgateway.metrics`);
  });

  test("admits only the restore check's pods and the cluster's Prometheus (no authentication of its own)", () => {
    expect(values.networkPolicy.customSelectors).toEqual([
      { podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["postgres-restore-check"] }] } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } },
    ]);
    const check = valuesOf(release(s.json, "postgres-restore-check")).resources.find((m: any) => m.kind === "CronJob");
    expect(check.spec.jobTemplate.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("postgres-restore-check");
  });

  test("has a ServiceMonitor the cluster's Prometheus selects (its release label), honouring the pushed labels, after the CRD", () => {
    expect(values.serviceMonitor).toMatchObject({ enabled: true, honorLabels: true, namespace: gateway.namespace, additionalLabels: { release: `\${helm_release.${kps.key}.name}` } });
    expect(gateway.depends_on).toContain(`helm_release.${kps.key}`);
  });
});

describe("the GCP replica's lag", () => {
  test.each(platforms.map((s) => [s.id, s] as const))("%s runs the Stackdriver exporter only on GCP replicating the primary", (_id, s) => {
    const expected = s.cloud === "gcp" && gcpReplicates(s.env) && addonEnabled(s.env.platform, "gcp", "monitoring");
    expect(release(s.json, "stackdriver-exporter") !== undefined).toBe(expected);
  });

  describe.each(platforms.filter((s) => release(s.json, "stackdriver-exporter")).map((s) => [s.id, s] as const))("%s", (_id, s) => {
    const exporter = release(s.json, "stackdriver-exporter");
    const values = valuesOf(exporter);
    const kps = releases(s.json).find((r) => r.chart === "kube-prometheus-stack");

    test("reads exactly the DMS lag metric of the environment's project", () => {
      expect({ chart: exporter.chart, repository: exporter.repository, version: exporter.version }).toEqual(CHARTS.prometheusStackdriverExporter);
      expect(values.stackdriver.projectIds).toEqual([s.env.clouds.gcp!.projectId]);
      expect(values.stackdriver.metrics.prefixes).toEqual([DMS_LAG_METRIC_TYPE]);
      expect(DMS_LAG_METRIC_TYPE).toBe("datamigration.googleapis.com/migration_job/max_replica_sec_lag");
    });

    test("runs as a Google service account that may only read monitoring data, impersonable by its own service account only", () => {
      const email = values.serviceAccount.annotations["iam.gke.io/gcp-service-account"];
      const [, key] = /^\$\{google_service_account\.([\w-]+)\.email\}$/.exec(email)!;
      const member = `\${google_service_account.${key}.member}`;
      const grants = Object.values(resourcesOf(s.json, "google_project_iam_member")).filter((m: any) => m.member === member);
      expect(grants.map((g: any) => g.role)).toEqual(["roles/monitoring.viewer"]);
      const impersonation = Object.values(resourcesOf(s.json, "google_service_account_iam_member")).filter((m: any) => m.service_account_id === `\${google_service_account.${key}.name}`);
      expect(impersonation).toHaveLength(1);
      expect((impersonation[0] as any).member).toMatch(/\[data-copies\/stackdriver-exporter\]$/);
      expect(values.serviceAccount).toMatchObject({ create: true, name: "stackdriver-exporter" });
      expect(values.stackdriver.serviceAccountKey ?? "").toBe("");
      expect(values.stackdriver.serviceAccountSecret ?? "").toBe("");
    });

    test("is limited, unprivileged and read-only; its image is the chart's appVersion, pinned by tag (digest: see docs)", () => {
      expect(Object.keys(values.resources.limits).sort()).toEqual(["cpu", "memory"]);
      expect(values.containerSecurityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(values.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(values.image).toEqual(STACKDRIVER_EXPORTER_IMAGE);
    });

    test("its ServiceMonitor is selected by the cluster's Prometheus, which remote-writes to every hub replica", () => {
      expect(values.serviceMonitor).toMatchObject({ enabled: true, additionalLabels: { release: `\${helm_release.${kps.key}.name}` } });
      expect(exporter.depends_on).toContain(`helm_release.${kps.key}`);
      const remote = valuesOf(kps).prometheus.prometheusSpec.remoteWrite;
      const hubIsHere = (s.env.platform.hubCloud ?? "aws") === "gcp";
      if (!hubIsHere) {
        expect(remote.length).toBeGreaterThan(0);
        for (const w of remote) expect(w.url).toMatch(/^http:\/\/metrics-hub-\d\.monitoring\.svc\.cluster\.local:9090\/api\/v1\/write$/);
      }
      expect(valuesOf(kps).prometheus.prometheusSpec.remoteWrite.some((w: any) => w.writeRelabelConfigs)).toBe(false);
    });
  });
});

describe("the identity of the restore check (Azure data stacks)", () => {
  const dataStacks = synthesized.filter((s) => s.cloud === "azure" && s.layer === "data");
  test.each(dataStacks.map((s) => [s.id, s] as const))("%s", (_id, s) => {
    const federation = Object.values(resourcesOf(s.json, "azurerm_federated_identity_credential")).filter((f: any) => String(f.subject).endsWith(":postgres-restore-check")) as any[];
    const grants = Object.values(resourcesOf(s.json, "azurerm_role_assignment")).filter((r: any) => String(r.principal_id).includes("postgres-restore-check-identity")) as any[];
    if (!azureArchives(s.env)) {
      expect(federation).toEqual([]);
      expect(grants).toEqual([]);
      expect(s.json.output?.postgres_restore_check_client_id.value).toBe("");
      return;
    }
    expect(federation).toHaveLength(1);
    expect(federation[0]).toMatchObject({ subject: "system:serviceaccount:data-copies:postgres-restore-check", audience: ["api://AzureADTokenExchange"], issuer: "${data.terraform_remote_state.azure_cluster.outputs.oidc_issuer_url}" });
    const dumps = Object.entries(resourcesOf(s.json, "azurerm_storage_container")).find(([, c]: [string, any]) => c.name === "postgres-dumps")![0];
    const admin = Object.entries(resourcesOf(s.json, "azurerm_key_vault_secret")).find(([, v]: [string, any]) => v.name === "postgres-admin-password")![0];
    expect(grants.map((g) => [g.role_definition_name, g.scope]).sort()).toEqual([
      ["Key Vault Secrets User", `\${azurerm_key_vault_secret.${admin}.resource_versionless_id}`],
      ["Storage Blob Data Reader", `\${azurerm_storage_container.${dumps}.resource_manager_id}`],
    ]);
    expect(s.json.output?.postgres_restore_check_client_id.value).toMatch(/^\$\{azurerm_user_assigned_identity\.postgres-restore-check-identity\.client_id\}$/);
  });
});

/** The hub's data-copy rules of an environment, by alert name. */
function hubRules(json: TerraformJson): Record<string, any> {
  const r = release(json, "data-copy-alerts");
  if (!r) return {};
  return Object.fromEntries(valuesOf(r).resources[0].spec.groups[0].rules.map((rule: any) => [rule.alert, rule]));
}

describe("the hub's rules", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "data-across-clouds.md"), "utf8");
  const anchors = new Set([...doc.matchAll(/^#+ (.+)$/gm)].map(([, title]) => title.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-")));

  test.each(platforms.map((s) => [s.id, s] as const))("%s: only the hub carries them, each with for, severity, summary and an existing runbook", (_id, s) => {
    const rules = hubRules(s.json);
    const isHub = (s.env.platform.hubCloud ?? "aws") === s.cloud;
    if (!isHub) {
      expect(rules).toEqual({});
      return;
    }
    expect(Object.keys(rules).length).toBeGreaterThan(0);
    for (const rule of Object.values(rules)) {
      expect(rule.for).toMatch(/^\d+[mh]$/);
      expect(["warning", "critical"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      const [file, anchor] = rule.annotations.runbook.split("#");
      expect(file).toBe("docs/data-across-clouds.md");
      expect(anchors).toContain(anchor);
    }
    const names = Object.keys(rules);
    expect(names.includes("PostgresVerifiedBackupStale")).toBe(azureArchives(s.env));
    expect(names.includes("PostgresReplicationLagHigh")).toBe(gcpReplicates(s.env));
  });

  const production = platforms.find((s) => s.id === "production-aws-platform")!;
  const rules = hubRules(production.json);

  test("the newest verified dump older than 26 h, no verification at all for 26 h, a failed check", () => {
    expect(rules.PostgresVerifiedBackupStale.expr).toBe(`time() - max by (cluster, engine) (${RESTORE_CHECK_METRICS.verifiedDump}{engine="postgres"}) > 26 * 3600`);
    expect(rules.PostgresRestoreCheckAbsent).toMatchObject({ expr: `absent(${RESTORE_CHECK_METRICS.verifiedDump}{engine="postgres"})`, for: "26h" });
    expect(rules.PostgresRestoreCheckFailed.expr).toBe(`max by (cluster, engine) (${RESTORE_CHECK_METRICS.success}{engine="postgres"}) == 0`);
  });

  test("the refresh job's rules keep their behaviour (kube-state-metrics of data-copies/postgres-refresh)", () => {
    expect(rules.PostgresBackupStale.expr).toBe('time() - max by (cluster) (kube_cronjob_status_last_successful_time{namespace="data-copies", cronjob="postgres-refresh"}) > 26 * 3600');
    expect(rules.PostgresBackupNeverRestored).toMatchObject({ expr: 'absent(kube_cronjob_status_last_successful_time{cluster="production-azure", namespace="data-copies", cronjob="postgres-refresh"})', for: "26h" });
  });

  test("the lag bound is dataCopies.postgres.maxReplicationLagSeconds, on the exporter's name of the DMS metric", () => {
    expect(rules.PostgresReplicationLagHigh.expr).toBe(`max without (instance, pod) ({__name__=~"stackdriver_[a-z0-9_]+_datamigration_googleapis_com_migration_job_max_replica_sec_lag"}) > ${production.env.dataCopies.postgres.maxReplicationLagSeconds}`);
    // collectors/monitoring_metrics.go at v0.19.0: stackdriver_<resource type>_<metric type>, normalized.
    expect("stackdriver_datamigration_googleapis_com_migration_job_datamigration_googleapis_com_migration_job_max_replica_sec_lag").toMatch(/^stackdriver_[a-z0-9_]+_datamigration_googleapis_com_migration_job_max_replica_sec_lag$/);
    expect(rules.PostgresReplicationLagAbsent.expr).toMatch(/^absent\(\{__name__=~/);
    const custom = shippedEnvironment("production", (c: any) => { c.dataCopies = { postgres: { maxReplicationLagSeconds: 90 } }; });
    const customRules = hubRules(synthJson(buildStacks([custom]).stacks.get("production-aws-platform")!));
    expect(customRules.PostgresReplicationLagHigh.expr).toMatch(/\) > 90$/);
  });
});
