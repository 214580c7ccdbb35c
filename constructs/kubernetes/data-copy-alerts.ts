/**
 * Alert rules on the hub's Prometheus (and so its Alertmanager) for the copies of the primary's
 * data. Every cluster's Prometheus reaches the hub by remote write, labelled with its `cluster`,
 * so one rule set on the hub watches the jobs of every cloud:
 *
 * - refresh jobs (CronJobs that copy an engine into a backup or replica cloud), from
 *   kube-state-metrics: the newest success too old, none at all, a failed run;
 * - restore checks (a job restores the newest archived dump into a scratch database and checks a
 *   canary), from the metrics the check pushes to its cluster's Pushgateway: the newest verified
 *   dump too old, no verification metric at all, a failed check;
 * - replication lag of a live replica (DMS on GCP), from the Stackdriver exporter: above the
 *   configured bound, or absent while the replica is configured.
 *
 * Every rule has a `for`, a severity, a summary and a runbook link (docs/data-across-clouds.md).
 */
import type { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { ManifestBundle } from "./manifest-bundle";
import { MONITORING_NAMESPACE } from "./observability";
import type { PlatformContext } from "./platform-context";

/** A CronJob that copies one engine's data into a backup or replica cloud. */
export interface WatchedRefreshJob {
  readonly namespace: string;
  /** The CronJob's name (the Jobs it creates are `<name>-<minutes since the epoch>`). */
  readonly name: string;
  /** The engine copied (`postgres`, `mongodb`, `objects`): the alerts' `engine` label and name prefix. */
  readonly engine: string;
  /** What the copy is, for summaries, e.g. "PostgreSQL backup copy". */
  readonly description: string;
  /**
   * The mesh names of the clusters that run the CronJob (the `cluster` label their Prometheus adds
   * on remote write): each is expected to report a success, so one cluster whose copy never succeeds
   * pages even while the same-named CronJob of another cluster succeeds.
   */
  readonly clusters: readonly string[];
}

/** An engine whose newest archived dump a restore check verifies, pushing {@link RESTORE_CHECK_METRICS}. */
export interface WatchedRestoreCheck {
  readonly engine: string;
  readonly description: string;
}

/** A live replica whose lag reaches Prometheus as a gauge in seconds. */
export interface WatchedReplicationLag {
  readonly engine: string;
  /** The Prometheus metric holding the lag in seconds. */
  readonly metric: string;
  /** Lag above which the alert fires (after 15 minutes). */
  readonly maxSeconds: number;
  readonly description: string;
}

/** Properties for {@link DataCopyAlerts}. */
export interface DataCopyAlertsProps {
  /** The kube-prometheus-stack release whose Prometheus selects the rules (and owns the CRD). */
  readonly monitoring: Release;
  /** The CronJobs that refresh copies, on any cluster. */
  readonly refreshJobs: readonly WatchedRefreshJob[];
  /** Engines whose restores are verified by a restore check. @default none */
  readonly restoreChecks?: readonly WatchedRestoreCheck[];
  /** Live replicas whose lag is bounded. @default none */
  readonly replicationLags?: readonly WatchedReplicationLag[];
  /**
   * Hours after which the newest successful refresh, or the newest verified dump, counts as stale.
   * @default 26 (a daily schedule plus two hours of slack)
   */
  readonly maxBackupAgeHours?: number;
}

/** The metrics a restore check pushes (grouping key `job="restore-check", engine`). */
export const RESTORE_CHECK_METRICS = {
  /** 1 when the newest dump restored and its canary was recent, 0 otherwise. */
  success: "addtocloud_restore_check_success",
  /** When the last check ended, successful or not. */
  lastRun: "addtocloud_restore_check_last_run_timestamp_seconds",
  /** When the last successful check ended (pushed on success only). */
  lastSuccess: "addtocloud_restore_check_last_success_timestamp_seconds",
  /** When the newest verified dump was taken (its blob's creation time; pushed on success only). */
  verifiedDump: "addtocloud_restore_check_verified_dump_timestamp_seconds",
  /** The canary row's `written_at` inside the verified dump (pushed on success only). */
  canary: "addtocloud_restore_check_canary_timestamp_seconds",
  /** How long the last check took. */
  duration: "addtocloud_restore_check_duration_seconds",
} as const;

const RUNBOOK = "docs/data-across-clouds.md";

/** `postgres` -> `Postgres`: the prefix of an engine's alert names. */
function alertPrefix(engine: string): string {
  return engine.charAt(0).toUpperCase() + engine.slice(1);
}

/**
 * The `cluster` matcher of a cluster's series on the hub: external labels are added on remote write
 * only, so the hub's own series carry none (`cluster=""` matches a missing label, and the alert
 * takes the hub's `cluster` when Prometheus sends it).
 */
function clusterMatcher(cluster: string, hubCluster: string): string {
  return `cluster="${cluster === hubCluster ? "" : cluster}"`;
}

function refreshRules(job: WatchedRefreshJob, hours: number, hubCluster: string): Record<string, unknown>[] {
  const prefix = alertPrefix(job.engine);
  const selector = `namespace="${job.namespace}", cronjob="${job.name}"`;
  const cronjob = selector;
  // The Jobs a CronJob creates are named `<cronjob>-<minutes since the epoch>`.
  const jobs = `namespace="${job.namespace}", job_name=~"${job.name}-[0-9]+"`;
  const labels = { engine: job.engine, cronjob: job.name };
  return [
    {
      alert: `${prefix}BackupStale`,
      expr: `time() - max by (cluster) (kube_cronjob_status_last_successful_time{${selector}}) > ${hours} * 3600`,
      for: "15m",
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `The newest successful refresh of the ${job.description} on {{ $labels.cluster }} is older than ${hours} h`,
        runbook: `${RUNBOOK}#runbook-restore`,
      },
    },
    {
      alert: `${prefix}BackupNeverRestored`,
      // One absent() per cluster: a selector without `cluster` is satisfied by any one cluster's
      // success, so the MongoDB refresh that never succeeds on GKE would hide behind AKS's.
      expr: job.clusters.map((cluster) => `absent(kube_cronjob_status_last_successful_time{${clusterMatcher(cluster, hubCluster)}, ${selector}})`).join(" or "),
      for: `${hours}h`,
      labels: { severity: "critical", ...labels },
      annotations: {
        summary: `No refresh of the ${job.description} has succeeded on {{ $labels.cluster }} for ${hours} h (or the job's metrics do not reach the hub)`,
        runbook: `${RUNBOOK}#runbook-restore`,
      },
    },
    {
      alert: `${prefix}BackupJobFailed`,
      // The Jobs a CronJob creates are named `<cronjob>-<minutes since the epoch>`. `kube_job_failed`
      // is the Job's Failed condition (1 on its condition="true" series): the Job gave up after its
      // retries. Not `kube_job_status_failed`, the count of failed pods, which a Job that succeeded
      // on a retry keeps at 1 for as long as it is kept (backoffLimit, successfulJobsHistoryLimit).
      // Only a failed Job that started after the CronJob's last success pages: a failed Job object
      // stays for ttlSecondsAfterFinished (7 days) after later runs have succeeded. Never succeeded: 0.
      expr: [
        `max by (cluster, job_name) (kube_job_status_start_time{${jobs}} and on (cluster, namespace, job_name) (kube_job_failed{${jobs}, condition="true"} == 1))`,
        `> on (cluster) group_left ()`,
        `(max by (cluster) (kube_cronjob_status_last_successful_time{${cronjob}}) or on (cluster) (max by (cluster) (kube_job_status_start_time{${jobs}}) * 0))`,
      ].join(" "),
      for: "5m",
      labels: { severity: "warning", ...labels },
      annotations: {
        summary: `A refresh of the ${job.description} failed on {{ $labels.cluster }} ({{ $labels.job_name }})`,
        runbook: `${RUNBOOK}#runbook-restore`,
      },
    },
  ];
}

function restoreCheckRules(check: WatchedRestoreCheck, hours: number): Record<string, unknown>[] {
  const prefix = alertPrefix(check.engine);
  const engine = `engine="${check.engine}"`;
  const labels = { engine: check.engine };
  const runbook = `${RUNBOOK}#runbook-restore-check-failed`;
  return [
    {
      alert: `${prefix}VerifiedBackupStale`,
      expr: `time() - max by (cluster, engine) (${RESTORE_CHECK_METRICS.verifiedDump}{${engine}}) > ${hours} * 3600`,
      for: "15m",
      labels: { severity: "critical", ...labels },
      annotations: { summary: `The newest ${check.description} verified by a restore on {{ $labels.cluster }} is older than ${hours} h`, runbook },
    },
    {
      alert: `${prefix}RestoreCheckAbsent`,
      expr: `absent(${RESTORE_CHECK_METRICS.verifiedDump}{${engine}})`,
      for: `${hours}h`,
      labels: { severity: "critical", ...labels },
      annotations: { summary: `No restore check of the ${check.description} has succeeded for ${hours} h (or its metrics do not reach the hub)`, runbook },
    },
    {
      alert: `${prefix}RestoreCheckFailed`,
      expr: `max by (cluster, engine) (${RESTORE_CHECK_METRICS.success}{${engine}}) == 0`,
      for: "5m",
      labels: { severity: "critical", ...labels },
      annotations: { summary: `The last restore check of the ${check.description} failed on {{ $labels.cluster }}`, runbook },
    },
  ];
}

function replicationLagRules(lag: WatchedReplicationLag): Record<string, unknown>[] {
  const prefix = alertPrefix(lag.engine);
  const labels = { engine: lag.engine };
  const runbook = `${RUNBOOK}#runbook-replication-lag`;
  return [
    {
      alert: `${prefix}ReplicationLagHigh`,
      expr: `max without (instance, pod) (${lag.metric}) > ${lag.maxSeconds}`,
      for: "15m",
      labels: { severity: "critical", ...labels },
      annotations: { summary: `The ${lag.description} is {{ $value | humanizeDuration }} behind the primary (bound ${lag.maxSeconds} s)`, runbook },
    },
    {
      alert: `${prefix}ReplicationLagAbsent`,
      expr: `absent(${lag.metric})`,
      for: "30m",
      labels: { severity: "warning", ...labels },
      annotations: { summary: `No replication lag of the ${lag.description} reaches the hub (job not running, or the exporter is down)`, runbook },
    },
  ];
}

export class DataCopyAlerts extends Construct {
  readonly bundle: ManifestBundle;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: DataCopyAlertsProps) {
    super(scope, id);
    const hours = props.maxBackupAgeHours ?? 26;
    const rules = [
      ...props.refreshJobs.flatMap((job) => refreshRules(job, hours, ctx.meshClusterName)),
      ...(props.restoreChecks ?? []).flatMap((check) => restoreCheckRules(check, hours)),
      ...(props.replicationLags ?? []).flatMap((lag) => replicationLagRules(lag)),
    ];
    this.bundle = new ManifestBundle(this, "rules", {
      releaseName: "data-copy-alerts",
      namespace: MONITORING_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [props.monitoring],
      manifests: [
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          // kube-prometheus-stack's Prometheus selects rules labelled with its release name.
          metadata: { name: "data-copies", labels: { release: props.monitoring.name, "app.kubernetes.io/part-of": "addtocloud-data" } },
          spec: { groups: [{ name: "data-copies", rules }] },
        },
      ],
    });
  }
}
