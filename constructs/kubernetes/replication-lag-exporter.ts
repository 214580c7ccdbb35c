/**
 * The replica's replication lag in Prometheus. Database Migration Service reports the lag of a
 * continuous migration job to Cloud Monitoring only, as
 * `datamigration.googleapis.com/migration_job/max_replica_sec_lag` (seconds; Google's migration-job
 * metrics pages, "Replication delay"). The prometheus-community Stackdriver exporter on the GKE
 * cluster reads that one metric type with a Google service account that has
 * `roles/monitoring.viewer` only (GKE Workload Identity, no key), in the non-injected
 * `data-copies` namespace; its ServiceMonitor carries kube-prometheus-stack's release label, so the
 * cluster's Prometheus scrapes it and remote-writes it to the hub, where the lag alert reads it.
 *
 * Read at prometheus-stackdriver-exporter 4.13.0 (templates/deployment.yaml, serviceaccount.yaml,
 * servicemonitor.yaml): the image is `<repository>:<tag>`, `projectIds` become repeated
 * `--google.project-ids`, `metrics.prefixes` repeated `--monitoring.metrics-prefixes` (the exporter
 * 0.19.0 flags; `metrics-type-prefixes` and `project-id` are deprecated there), `resources`,
 * `securityContext` and `containerSecurityContext` are empty by default, the ServiceAccount is not
 * created by default and takes `annotations`, the ServiceMonitor goes to `serviceMonitor.namespace`
 * (default `monitoring`) with `additionalLabels`. The exporter (collectors/monitoring_metrics.go at
 * v0.19.0) names a series `stackdriver_<resource type>_<metric type>`, each part lower-cased with
 * every non-alphanumeric run turned into `_` and CamelCase split: see {@link REPLICATION_LAG_METRIC}.
 */
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

/** The Cloud Monitoring metric type of a DMS migration job's replication lag, in seconds. */
export const DMS_LAG_METRIC_TYPE = "datamigration.googleapis.com/migration_job/max_replica_sec_lag";

/**
 * The exporter's name for it, matched by its metric-type part: the resource-type part
 * (`datamigration.googleapis.com/MigrationJob` -> `datamigration_googleapis_com_migration_job`)
 * is left open so a renamed monitored resource does not silently blind the alert.
 */
export const REPLICATION_LAG_METRIC = '{__name__=~"stackdriver_[a-z0-9_]+_datamigration_googleapis_com_migration_job_max_replica_sec_lag"}';

/**
 * The exporter 0.19.0 (the chart's appVersion), pinned by tag: no public source here records its
 * image digest, so the digest must be added (`crane digest docker.io/prometheuscommunity/stackdriver-exporter:v0.19.0`)
 * before the first deploy (docs/data-across-clouds.md, "Replication lag").
 */
export const STACKDRIVER_EXPORTER_IMAGE = { repository: "docker.io/prometheuscommunity/stackdriver-exporter", tag: "v0.19.0" };
export const STACKDRIVER_EXPORTER_SERVICE_ACCOUNT = "stackdriver-exporter";

/** Properties for {@link ReplicationLagExporter}. */
export interface ReplicationLagExporterProps {
  readonly namespace: string;
  /** The Google project the migration job reports to. */
  readonly projectId: string;
  /** kube-prometheus-stack's release: its CRDs and the `release` label its Prometheus selects. */
  readonly monitoring: Release;
  readonly dependsOn: readonly ITerraformDependable[];
}

export class ReplicationLagExporter extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ReplicationLagExporterProps) {
    super(scope, id);
    this.release = new PinnedChart(this, "chart", {
      source: CHARTS.prometheusStackdriverExporter,
      releaseName: "stackdriver-exporter",
      namespace: props.namespace,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [...props.dependsOn, props.monitoring],
      values: {
        image: { ...STACKDRIVER_EXPORTER_IMAGE },
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
        securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        serviceAccount: {
          create: true,
          name: STACKDRIVER_EXPORTER_SERVICE_ACCOUNT,
          annotations: ctx.identity.serviceAccountAnnotations("monitoring-reader", props.namespace, STACKDRIVER_EXPORTER_SERVICE_ACCOUNT),
        },
        stackdriver: {
          projectIds: [props.projectId],
          // DMS writes a point a minute; look 5 minutes back, shifted by the metric's ingest delay.
          metrics: { prefixes: [DMS_LAG_METRIC_TYPE], interval: "5m", offset: "0s", ingestDelay: true },
        },
        // honorTimestamps off: the exporter stamps each sample with its Cloud Monitoring point's end
        // time (collectors/monitoring_metrics.go, NewMetricWithTimestamp), which the ingest-delay
        // shift makes minutes old; samples near or past Prometheus's 5-minute lookback drop out of
        // instant queries, resetting the lag alert's `for` and flapping its `absent()`. Scrape time it is.
        serviceMonitor: { enabled: true, namespace: props.namespace, interval: "60s", scrapeTimeout: "30s", honorTimestamps: false, additionalLabels: { release: props.monitoring.name } },
      },
    }).release;
  }
}
