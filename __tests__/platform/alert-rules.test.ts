/**
 * The hub's data-copy alerts behave as the runbooks say, checked by Prometheus's own promtool
 * (pinned; .ci/run installs it into .tools/bin):
 * - every PrometheusRule any stack of any environment installs parses (`promtool check rules`);
 * - `promtool test rules` evaluates production's rules against synthetic series: a copy or a
 *   verified dump older than 26 h pages after its `for`, a younger one does not; a failed Job pages
 *   for its own CronJob only; the replica's lag pages above the configured bound and not below; a
 *   restore check that never reported pages after 26 h.
 * Annotations are left out of the copies under test (their templates are not behaviour).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { shippedEnvironments } from "../support/synth";
import { runApp } from "../support/app-output";
import { stackPlace } from "../support/snapshots";

const root = path.join(__dirname, "..", "..");
const promtool = path.join(process.env.ADDTOCLOUD_TOOLS ?? path.join(root, ".tools", "bin"), "promtool");

function run(args: string[]): string {
  if (!existsSync(promtool)) {
    throw new Error(`promtool is missing at ${promtool}: .ci/run installs it (GOBIN=.tools/bin go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0)`);
  }
  try {
    return execFileSync(promtool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error: any) {
    throw new Error(`promtool ${args.join(" ")} failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

const output = runApp();
/** Every PrometheusRule of every raw-chart release, by stack. */
const rules = [...output.stacks.values()].flatMap((s) => {
  const json = JSON.parse(fs.readFileSync(s.file, "utf8"));
  return Object.values<any>(json.resource?.helm_release ?? {})
    .filter((r) => r.chart === "raw")
    .flatMap((r) => (r.values ?? []).flatMap((v: string) => parse(v)?.resources ?? []))
    .filter((m: any) => m.kind === "PrometheusRule")
    .map((m: any) => ({ stack: s.id, env: stackPlace(s.id).env, name: m.metadata.name as string, groups: m.spec.groups as any[] }));
});
const dir = mkdtempSync(path.join(os.tmpdir(), "alert-rules-"));

test("the matrix installs data-copy rules on every environment's hub", () => {
  expect(rules.filter((r) => r.name === "data-copies").map((r) => r.env).sort()).toEqual(shippedEnvironments().map((e) => e.name).sort());
});

test.each(rules.map((r) => [r.stack, r.name, r] as const))("%s: PrometheusRule %s parses (promtool check rules)", (_stack, _name, rule) => {
  const file = path.join(dir, `${rule.stack}-${rule.name}.yaml`);
  writeFileSync(file, stringify({ groups: rule.groups }));
  expect(run(["check", "rules", file])).toMatch(/SUCCESS/);
});

describe("production's data-copy alerts, evaluated by promtool", () => {
  const rule = rules.find((r) => r.env === "production" && r.name === "data-copies")!;
  const env = shippedEnvironments().find((e) => e.name === "production")!;
  const bound = env.dataCopies.postgres.maxReplicationLagSeconds;
  const ruleFile = path.join(dir, "production-data-copies-behaviour.yaml");
  writeFileSync(ruleFile, stringify({ groups: rule.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _annotations, ...r }: any) => r) })) }));

  const alertsOf = (name: string) => rule.groups.flatMap((g) => g.rules).filter((r: any) => r.alert === name);
  const severity = (name: string) => alertsOf(name)[0].labels.severity;
  const LAG = "stackdriver_datamigration_googleapis_com_migration_job_datamigration_googleapis_com_migration_job_max_replica_sec_lag";
  const steps = (value: number | string, count: number) => `${value}x${count}`;

  /** One promtool unit test: series sampled every 5 min from t=0, alerts expected at each time. */
  function promtoolTest(series: { series: string; values: string }[], expectations: { at: string; alert: string; firing: Record<string, string>[] }[]): void {
    const file = path.join(dir, `unit-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify({
      rule_files: [ruleFile],
      evaluation_interval: "5m",
      tests: [{
        interval: "5m",
        input_series: series,
        alert_rule_test: expectations.map((e) => ({ eval_time: e.at, alertname: e.alert, exp_alerts: e.firing.map((labels) => ({ exp_labels: labels })) })),
      }],
    }));
    expect(run(["test", "rules", file])).toMatch(/SUCCESS/);
  }

  test("rules exist for every path production copies", () => {
    for (const name of ["PostgresBackupStale", "MongodbBackupStale", "ObjectsBackupStale", "PostgresVerifiedBackupStale", "PostgresRestoreCheckFailed", "PostgresReplicationLagHigh", "PostgresReplicationLagAbsent"]) {
      expect(alertsOf(name)).toHaveLength(1);
    }
  });

  test("a refresh whose last success is more than 26 h old pages after 15 min; at 25 h it does not", () => {
    const last = `kube_cronjob_status_last_successful_time{cluster="production-azure", namespace="data-copies", cronjob="postgres-refresh"}`;
    promtoolTest([{ series: last, values: steps(0, 360) }], [
      { at: "25h", alert: "PostgresBackupStale", firing: [] },
      { at: "26h10m", alert: "PostgresBackupStale", firing: [] },
      { at: "26h30m", alert: "PostgresBackupStale", firing: [{ cluster: "production-azure", cronjob: "postgres-refresh", engine: "postgres", severity: severity("PostgresBackupStale") }] },
    ]);
  });

  test("a failed Job pages for its own CronJob only, and only until a later run succeeds", () => {
    const job = (metric: string, name: string, extra = "") => `${metric}{cluster="production-gcp", namespace="data-copies", job_name="${name}"${extra}}`;
    const lastSuccess = `kube_cronjob_status_last_successful_time{cluster="production-gcp", namespace="data-copies", cronjob="mongodb-refresh"}`;
    // A run started at t=600 s fails; nothing has succeeded yet: it pages. At 2 h a later run
    // succeeds (last success 7200 s): the failed Job object is still there, but no longer pages.
    promtoolTest([
      { series: job("kube_job_failed", "mongodb-refresh-10", ', condition="true"'), values: steps(1, 36) },
      { series: job("kube_job_status_start_time", "mongodb-refresh-10"), values: steps(600, 36) },
      { series: lastSuccess, values: `${steps("_", 24)} ${steps(7200, 12)}` },
    ], [
      { at: "20m", alert: "MongodbBackupJobFailed", firing: [{ cluster: "production-gcp", job_name: "mongodb-refresh-10", cronjob: "mongodb-refresh", engine: "mongodb", severity: severity("MongodbBackupJobFailed") }] },
      { at: "20m", alert: "PostgresBackupJobFailed", firing: [] },
      { at: "2h30m", alert: "MongodbBackupJobFailed", firing: [] },
    ]);
  });

  test("a MongoDB refresh that never succeeds on GKE pages after 26 h although AKS's, of the same name, succeeds", () => {
    // One CronJob name on two clusters: a cluster-less absent() would be satisfied by AKS alone.
    const lastSuccess = (cluster: string) => `kube_cronjob_status_last_successful_time{cluster="${cluster}", namespace="data-copies", cronjob="mongodb-refresh"}`;
    promtoolTest([{ series: lastSuccess("production-azure"), values: steps(600, 12 * 27) }], [
      { at: "25h", alert: "MongodbBackupNeverRestored", firing: [] },
      { at: "26h30m", alert: "MongodbBackupNeverRestored", firing: [{ cluster: "production-gcp", namespace: "data-copies", cronjob: "mongodb-refresh", engine: "mongodb", severity: severity("MongodbBackupNeverRestored") }] },
    ]);
  });

  test("the verified dump's age pages past 26 h; a new verified dump clears it", () => {
    const verified = `addtocloud_restore_check_verified_dump_timestamp_seconds{cluster="production-azure", engine="postgres", job="restore-check"}`;
    // A dump from t=0 verified, then at 24 h a check verifies a dump taken at 22 h (79200 s).
    promtoolTest([{ series: verified, values: `${steps(0, 288)} ${steps(79200, 72)}` }], [
      { at: "20h", alert: "PostgresVerifiedBackupStale", firing: [] },
      { at: "30h", alert: "PostgresVerifiedBackupStale", firing: [] },
    ]);
    promtoolTest([{ series: verified, values: steps(0, 360) }], [
      { at: "26h30m", alert: "PostgresVerifiedBackupStale", firing: [{ cluster: "production-azure", engine: "postgres", severity: severity("PostgresVerifiedBackupStale") }] },
    ]);
  });

  test("a failed restore check pages after 5 min", () => {
    const success = `addtocloud_restore_check_success{cluster="production-azure", engine="postgres", job="restore-check"}`;
    promtoolTest([{ series: success, values: `1 ${steps(0, 12)}` }], [
      { at: "15m", alert: "PostgresRestoreCheckFailed", firing: [{ cluster: "production-azure", engine: "postgres", severity: severity("PostgresRestoreCheckFailed") }] },
    ]);
  });

  test(`the replica's lag pages above the configured bound (${bound} s) after 15 min, not below it`, () => {
    const lag = `${LAG}{cluster="production-gcp", instance="10.0.0.1:9255", pod="stackdriver-exporter-0", migration_job_id="addtocloud-production-postgres-replica"}`;
    promtoolTest([{ series: lag, values: `${steps(bound - 1, 12)} ${steps(bound * 2, 12)}` }], [
      { at: "55m", alert: "PostgresReplicationLagHigh", firing: [] },
      { at: "1h30m", alert: "PostgresReplicationLagHigh", firing: [{ cluster: "production-gcp", migration_job_id: "addtocloud-production-postgres-replica", engine: "postgres", severity: severity("PostgresReplicationLagHigh") }] },
      { at: "1h30m", alert: "PostgresReplicationLagAbsent", firing: [] },
    ]);
  });

  test("a restore check that never reported pages after 26 h", () => {
    const unrelated = `up{cluster="production-azure", job="prometheus"}`;
    promtoolTest([{ series: unrelated, values: steps(1, 360) }], [
      { at: "25h", alert: "PostgresRestoreCheckAbsent", firing: [] },
      { at: "26h30m", alert: "PostgresRestoreCheckAbsent", firing: [{ engine: "postgres", severity: severity("PostgresRestoreCheckAbsent") }] },
    ]);
  });
});
