/**
 * A Prometheus Pushgateway for the batch jobs of a cluster (the restore check), in the
 * non-injected `data-copies` namespace so a job without a sidecar reaches it in plain HTTP inside
 * the cluster. Its ServiceMonitor carries kube-prometheus-stack's release label, so the cluster's
 * Prometheus scrapes it (honouring the pushed `job` and `engine` labels) and remote-writes the
 * series to the hub. Pushed metrics persist on a small volume, so a restart of the gateway does
 * not make the hub's "no verification metric" alert fire until the next run.
 *
 * Read at prometheus-pushgateway 3.8.0 (templates/_helpers.tpl, deployment.yaml,
 * servicemonitor.yaml): the image is `<repository>:<tag>` (so a tag with `@sha256:` pins the
 * digest), `resources` and `containerSecurityContext` are empty by default, the Service is named
 * after the release (`prometheus-pushgateway`, port 9091 named `http`), the ServiceMonitor goes to
 * `serviceMonitor.namespace` (default `monitoring`) with `additionalLabels`, and no flag is added
 * for persistence: `--persistence.file` must be passed in `extraArgs`.
 */
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { MONITORING_NAMESPACE } from "./observability";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

/**
 * Pushgateway 1.11.3 (the chart's appVersion) by its multi-architecture index digest, as public
 * projects pin `prom/pushgateway:v1.11.3` (confirm with `crane digest` before the first deploy).
 */
export const PUSHGATEWAY_IMAGE = { repository: "docker.io/prom/pushgateway", tag: "v1.11.3@sha256:74fa117cef2d7e383112d25139ff1c2d2e309c35389a9e0554a47136a1482e48" };
export const PUSHGATEWAY_RELEASE = "prometheus-pushgateway";
export const PUSHGATEWAY_PORT = 9091;

/** Properties for {@link Pushgateway}. */
export interface PushgatewayProps {
  readonly namespace: string;
  /** kube-prometheus-stack's release: its CRDs and the `release` label its Prometheus selects. */
  readonly monitoring: Release;
  /** `app.kubernetes.io/name` of the pods allowed to push (in the gateway's namespace). */
  readonly pushers: readonly string[];
  /** What must exist first (the namespace). */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class Pushgateway extends Construct {
  readonly release: Release;
  /**
   * URL jobs of the same namespace push to (append `/metrics/job/<job>/...`): the Service's short
   * name, resolved through the pod's namespace search path, plain HTTP between two pods without a
   * sidecar in the same cluster.
   */
  readonly url: string;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PushgatewayProps) {
    super(scope, id);
    this.url = `http://${PUSHGATEWAY_RELEASE}:${PUSHGATEWAY_PORT}`;
    this.release = new PinnedChart(this, "chart", {
      source: CHARTS.prometheusPushgateway,
      releaseName: PUSHGATEWAY_RELEASE,
      namespace: props.namespace,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [...props.dependsOn, props.monitoring],
      values: {
        image: { ...PUSHGATEWAY_IMAGE },
        automountServiceAccountToken: false,
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
        securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
        containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        persistentVolume: { enabled: true, size: "1Gi" },
        extraArgs: ["--persistence.file=/data/pushgateway.metrics"],
        // The gateway takes pushes without authentication: only the pushing jobs of its namespace and
        // the cluster's Prometheus reach it (templates/networkpolicy.yaml: `from` these peers, port 9091).
        networkPolicy: {
          customSelectors: [
            { podSelector: { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: [...props.pushers] }] } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } },
          ],
        },
        serviceMonitor: { enabled: true, namespace: props.namespace, honorLabels: true, additionalLabels: { release: props.monitoring.name } },
      },
    }).release;
  }
}
