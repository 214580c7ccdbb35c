/**
 * Alert rules on the hub's Prometheus (and so its Alertmanager) for the copies of the primary's
 * data that run as Kubernetes jobs. Every cluster's kube-state-metrics reaches the hub by remote
 * write, labelled with its `cluster`, so one rule set on the hub watches the jobs of every cloud.
 *
 * "Verified" here means restored: the refresh job fails unless `pg_restore` into the backup
 * server succeeds. No canary table is checked yet (docs/data-across-clouds.md).
 */
import type { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { ManifestBundle } from "./manifest-bundle";
import { MONITORING_NAMESPACE } from "./observability";
import type { PlatformContext } from "./platform-context";

/** Properties for {@link DataCopyAlerts}. */
export interface DataCopyAlertsProps {
  /** The kube-prometheus-stack release whose Prometheus selects the rules (and owns the CRD). */
  readonly monitoring: Release;
  /** Namespace and name of the CronJob that refreshes the backup copy. */
  readonly refreshJob: { readonly namespace: string; readonly name: string };
  /**
   * Hours after which the newest successful refresh counts as stale.
   * @default 26 (a daily schedule plus two hours of slack)
   */
  readonly maxBackupAgeHours?: number;
}

export class DataCopyAlerts extends Construct {
  readonly bundle: ManifestBundle;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: DataCopyAlertsProps) {
    super(scope, id);
    const hours = props.maxBackupAgeHours ?? 26;
    const job = `namespace="${props.refreshJob.namespace}", cronjob="${props.refreshJob.name}"`;
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
          spec: {
            groups: [
              {
                name: "data-copies",
                rules: [
                  {
                    alert: "PostgresBackupStale",
                    expr: `time() - max by (cluster) (kube_cronjob_status_last_successful_time{${job}}) > ${hours} * 3600`,
                    for: "15m",
                    labels: { severity: "critical" },
                    annotations: {
                      summary: `The newest restored PostgreSQL backup copy on {{ $labels.cluster }} is older than ${hours} h`,
                      runbook: "docs/data-across-clouds.md#runbook-restore",
                    },
                  },
                  {
                    alert: "PostgresBackupNeverRestored",
                    expr: `absent(kube_cronjob_status_last_successful_time{${job}})`,
                    for: `${hours}h`,
                    labels: { severity: "critical" },
                    annotations: { summary: `No PostgreSQL backup copy has been restored for ${hours} h (or the job's metrics do not reach the hub)` },
                  },
                  {
                    alert: "PostgresBackupJobFailed",
                    expr: `max by (cluster, job_name) (kube_job_status_failed{namespace="${props.refreshJob.namespace}"}) > 0`,
                    for: "5m",
                    labels: { severity: "warning" },
                    annotations: { summary: "A PostgreSQL backup refresh failed on {{ $labels.cluster }} ({{ $labels.job_name }})" },
                  },
                ],
              },
            ],
          },
        },
      ],
    });
  }
}
