/**
 * Metrics, logs and traces, centralised as the seeds' monitoring design asks: every cluster runs
 * kube-prometheus-stack (Prometheus, node exporters, kube-state-metrics), Fluent Bit and an
 * OpenTelemetry collector, and ships to the hub cluster (the primary by default), which alone runs
 * Grafana, Alertmanager, Loki and Jaeger and accepts Prometheus remote write. Cross-cluster traffic
 * stays inside the mesh (mTLS through the east-west gateways).
 */
import type { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import { MeshNamespace, NO_SIDECAR, meshNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { ObservabilityHub, PlatformContext } from "./platform-context";

export const MONITORING_NAMESPACE = "monitoring";
export const LOGGING_NAMESPACE = "logging";
export const TRACING_NAMESPACE = "tracing";

/** Prometheus replicas of a cluster: two in production (HA), one elsewhere. */
export function prometheusReplicas(production: boolean): number {
  return production ? 2 : 1;
}

/**
 * The pods of the Prometheus StatefulSet kube-prometheus-stack 66.3.1 makes for the release
 * `kube-prometheus-stack`: the operator names the StatefulSet `prometheus-<CR name>`, and the CR
 * is `<fullname>-prometheus` (templates/_helpers.tpl, `kube-prometheus-stack.prometheus.crname`).
 */
export function prometheusPodName(replica: number): string {
  return `prometheus-kube-prometheus-stack-prometheus-${replica}`;
}

/**
 * The hub's endpoints, by mesh-internal name (resolved in every cluster by Istio's DNS proxy).
 * Remote write goes to every hub replica through a Service of its own (`metrics-hub-<n>`): a
 * Service over all replicas would balance the writes, so each replica would hold a part of the
 * other clusters' series and queries would answer with gaps.
 */
export function hubEndpoints(hubCloud: ObservabilityHub["hubCloud"], isHub: boolean, hubPrometheusReplicas: number): ObservabilityHub {
  return {
    isHub,
    hubCloud,
    metricsRemoteWriteUrls: Array.from({ length: hubPrometheusReplicas }, (_, replica) => `http://metrics-hub-${replica}.${MONITORING_NAMESPACE}.svc.cluster.local:9090/api/v1/write`),
    logsHost: `loki.${MONITORING_NAMESPACE}.svc.cluster.local`,
    logsPort: 3100,
    tracesEndpoint: `jaeger-collector.${MONITORING_NAMESPACE}.svc.cluster.local:4317`,
  };
}

/** Properties for {@link Monitoring}. */
export interface MonitoringProps {
  /** Prometheus retention, e.g. `30d`. */
  readonly retention: string;
  /** The `monitoring` namespace (in the mesh: it sends and, on the hub, receives remote writes). */
  readonly namespace: MeshNamespace;
}

/** kube-prometheus-stack on every cluster; Grafana, Alertmanager and the remote-write receiver on the hub. */
export class Monitoring extends Construct {
  /** kube-prometheus-stack's release: what installs the CRDs add-ons render (ServiceMonitor, PodMonitor, PrometheusRule). */
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: MonitoringProps) {
    super(scope, id);
    const hub = ctx.hub;
    const replicas = prometheusReplicas(ctx.production);
    const stack = new PinnedChart(this, "chart", {
      source: CHARTS.kubePrometheusStack,
      namespace: MONITORING_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: props.namespace.dependsOn,
      values: {
        // The chart's own default is the well-known `prom-operator`; empty makes the Grafana chart
        // generate a random password into the `kube-prometheus-stack-grafana` Secret on first
        // install and keep it on upgrades (it looks the Secret up). It never enters Terraform.
        grafana: hub.isHub ? { enabled: true, adminPassword: "", testFramework: { enabled: false } } : { enabled: false },
        alertmanager: { enabled: hub.isHub, alertmanagerSpec: { replicas: ctx.production ? 2 : 1 } },
        prometheusOperator: {
          // The operator talks only to the API server, and the API server calls its admission
          // webhook with TLS of its own, which a sidecar under STRICT mTLS would refuse: no sidecar.
          podAnnotations: { ...NO_SIDECAR },
          // Hook Jobs (admission-create, admission-patch): a sidecar would keep them from completing.
          admissionWebhooks: { patch: { podAnnotations: { ...NO_SIDECAR } } },
        },
        prometheus: {
          prometheusSpec: {
            retention: props.retention,
            replicas,
            externalLabels: { cluster: ctx.meshClusterName, cloud: ctx.cloud, environment: ctx.env.name },
            enableRemoteWriteReceiver: hub.isHub,
            remoteWrite: hub.isHub ? [] : hub.metricsRemoteWriteUrls.map((url) => ({ url })),
            resources: { requests: { cpu: "200m", memory: ctx.production ? "1Gi" : "512Mi" } },
            storageSpec: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.production ? "100Gi" : "20Gi" } } } } },
          },
        },
      },
    });
    this.release = stack.release;
    if (hub.isHub) {
      // Names only the hub has, one per replica, so the mesh routes every cluster's remote write to each.
      new ManifestBundle(this, "hub-service", {
        releaseName: "metrics-hub",
        namespace: MONITORING_NAMESPACE,
        provider: ctx.helm,
        dependsOn: [stack.release],
        manifests: Array.from({ length: replicas }, (_, replica) => ({
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: `metrics-hub-${replica}`, namespace: MONITORING_NAMESPACE },
          spec: {
            selector: { "app.kubernetes.io/name": "prometheus", "statefulset.kubernetes.io/pod-name": prometheusPodName(replica) },
            ports: [{ name: "http-web", port: 9090, targetPort: 9090 }],
          },
        })),
      });
    }
  }
}

/** Properties for {@link Logging} and {@link Tracing}. */
export interface TelemetryProps {
  /** The hub's `monitoring` namespace, where Loki and Jaeger install (on the hub only). */
  readonly hubNamespace?: MeshNamespace;
}

/** The namespace of the hub's backends, on the hub only. */
function hubNamespaceOf(ctx: PlatformContext, props: TelemetryProps, what: string): MeshNamespace | undefined {
  if (!ctx.hub.isHub) return undefined;
  if (!props.hubNamespace) throw new Error(`${what}: the hub cluster needs the '${MONITORING_NAMESPACE}' namespace ('hubNamespace')`);
  return props.hubNamespace;
}

/** Fluent Bit on every cluster, pushing to the hub's Loki (which runs on the hub only). */
export class Logging extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: TelemetryProps = {}) {
    super(scope, id);
    const hub = ctx.hub;
    const hubNamespace = hubNamespaceOf(ctx, props, "Logging");
    if (hubNamespace) {
      new PinnedChart(this, "loki", {
        source: CHARTS.loki,
        namespace: MONITORING_NAMESPACE,
        createNamespace: false,
        provider: ctx.helm,
        dependsOn: hubNamespace.dependsOn,
        values: {
          deploymentMode: "SingleBinary",
          loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: "filesystem" }, schemaConfig: { configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] } },
          singleBinary: { replicas: 1, persistence: { size: ctx.production ? "100Gi" : "20Gi" }, resources: { requests: { cpu: "250m", memory: "512Mi" } } },
          // The chart's defaults give the chunks cache 8192 MB of memcached (a 9.6 GiB request, more
          // than any node of the hub has) and the results cache 1024 MB; a single-binary Loki needs
          // far less. The chart requests round(allocatedMemory * 1.2) MiB for each.
          chunksCache: { allocatedMemory: 1024 },
          resultsCache: { allocatedMemory: 512 },
          read: { replicas: 0 },
          write: { replicas: 0 },
          backend: { replicas: 0 },
          gateway: { enabled: false },
        },
      });
    }
    // In the mesh: the hub's Loki is a mesh-only name on the other clusters, and STRICT mTLS on the hub.
    const ns = meshNamespace(this, ctx, LOGGING_NAMESPACE);
    new PinnedChart(this, "fluent-bit", {
      source: CHARTS.fluentBit,
      namespace: LOGGING_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: ns.dependsOn,
      values: {
        config: {
          outputs: [
            "[OUTPUT]",
            "    Name loki",
            "    Match kube.*",
            `    Host ${hub.logsHost}`,
            `    Port ${hub.logsPort}`,
            `    Labels cluster=${ctx.meshClusterName}, cloud=${ctx.cloud}, environment=${ctx.env.name}`,
            "    Auto_Kubernetes_Labels on",
          ].join("\n"),
        },
      },
    });
  }
}

/** An OpenTelemetry collector on every cluster, feeding the hub's Jaeger (which runs on the hub only). */
export class Tracing extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: TelemetryProps = {}) {
    super(scope, id);
    const hub = ctx.hub;
    const hubNamespace = hubNamespaceOf(ctx, props, "Tracing");
    if (hubNamespace) {
      new PinnedChart(this, "jaeger", {
        source: CHARTS.jaeger,
        namespace: MONITORING_NAMESPACE,
        createNamespace: false,
        provider: ctx.helm,
        dependsOn: hubNamespace.dependsOn,
        values: {
          provisionDataStore: { cassandra: false },
          allInOne: { enabled: true },
          storage: { type: "memory" },
          agent: { enabled: false },
          collector: { enabled: false },
          query: { enabled: false },
        },
      });
    }
    // In the mesh, like Fluent Bit: the OTLP export to the hub's Jaeger crosses clusters with mTLS.
    const ns = meshNamespace(this, ctx, TRACING_NAMESPACE);
    new PinnedChart(this, "otel-collector", {
      source: CHARTS.otelCollector,
      namespace: TRACING_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: ns.dependsOn,
      values: {
        mode: "deployment",
        replicaCount: ctx.production ? 2 : 1,
        image: { repository: "otel/opentelemetry-collector-contrib" },
        config: {
          receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
          processors: { batch: {}, resource: { attributes: [{ key: "k8s.cluster.name", value: ctx.meshClusterName, action: "upsert" }] } },
          // Plaintext to the pod's own sidecar, which carries it to the hub with mutual TLS.
          exporters: { "otlp/hub": { endpoint: hub.tracesEndpoint, tls: { insecure: true } } },
          service: { pipelines: { traces: { receivers: ["otlp"], processors: ["resource", "batch"], exporters: ["otlp/hub"] } } },
        },
      },
    });
  }
}
