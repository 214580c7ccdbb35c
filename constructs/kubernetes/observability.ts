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
import { platformNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { ObservabilityHub, PlatformContext } from "./platform-context";

export const MONITORING_NAMESPACE = "monitoring";

/** The hub's endpoints, by mesh-internal name (resolved in every cluster by Istio's DNS proxy). */
export function hubEndpoints(hubCloud: ObservabilityHub["hubCloud"], isHub: boolean): ObservabilityHub {
  return {
    isHub,
    hubCloud,
    metricsRemoteWriteUrl: `http://metrics-hub.${MONITORING_NAMESPACE}.svc.cluster.local:9090/api/v1/write`,
    logsHost: `loki.${MONITORING_NAMESPACE}.svc.cluster.local`,
    logsPort: 3100,
    tracesEndpoint: `jaeger-collector.${MONITORING_NAMESPACE}.svc.cluster.local:4317`,
  };
}

/** Properties for {@link Monitoring}. */
export interface MonitoringProps {
  /** Prometheus retention, e.g. `30d`. */
  readonly retention: string;
}

/** kube-prometheus-stack on every cluster; Grafana, Alertmanager and the remote-write receiver on the hub. */
export class Monitoring extends Construct {
  /** kube-prometheus-stack's release: what installs the ServiceMonitor/PodMonitor CRDs add-ons render. */
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: MonitoringProps) {
    super(scope, id);
    const ns = platformNamespace(this, ctx, MONITORING_NAMESPACE, { "istio-injection": "enabled" });
    const hub = ctx.hub;
    const stack = new PinnedChart(this, "chart", {
      source: CHARTS.kubePrometheusStack,
      namespace: MONITORING_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [ns],
      values: {
        grafana: hub.isHub
          ? { enabled: true, admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } }
          : { enabled: false },
        alertmanager: { enabled: hub.isHub, alertmanagerSpec: { replicas: ctx.production ? 2 : 1 } },
        prometheus: {
          prometheusSpec: {
            retention: props.retention,
            replicas: ctx.production ? 2 : 1,
            externalLabels: { cluster: ctx.meshClusterName, cloud: ctx.cloud, environment: ctx.env.name },
            enableRemoteWriteReceiver: hub.isHub,
            remoteWrite: hub.isHub ? [] : [{ url: hub.metricsRemoteWriteUrl }],
            storageSpec: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.production ? "100Gi" : "20Gi" } } } } },
          },
        },
      },
    });
    this.release = stack.release;
    if (hub.isHub) {
      // A name only the hub has, so the mesh routes every cluster's remote write here.
      new ManifestBundle(this, "hub-service", {
        releaseName: "metrics-hub",
        namespace: MONITORING_NAMESPACE,
        provider: ctx.helm,
        dependsOn: [stack.release],
        manifests: [
          {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "metrics-hub", namespace: MONITORING_NAMESPACE },
            spec: { selector: { "app.kubernetes.io/name": "prometheus" }, ports: [{ name: "http-web", port: 9090, targetPort: 9090 }] },
          },
        ],
      });
    }
  }
}

/** Fluent Bit on every cluster, pushing to the hub's Loki (which runs on the hub only). */
export class Logging extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    const hub = ctx.hub;
    if (hub.isHub) {
      new PinnedChart(this, "loki", {
        source: CHARTS.loki,
        namespace: MONITORING_NAMESPACE,
        createNamespace: false,
        provider: ctx.helm,
        values: {
          deploymentMode: "SingleBinary",
          loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: "filesystem" }, schemaConfig: { configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] } },
          singleBinary: { replicas: 1, persistence: { size: ctx.production ? "100Gi" : "20Gi" } },
          read: { replicas: 0 },
          write: { replicas: 0 },
          backend: { replicas: 0 },
          gateway: { enabled: false },
        },
      });
    }
    new PinnedChart(this, "fluent-bit", {
      source: CHARTS.fluentBit,
      namespace: "logging",
      provider: ctx.helm,
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
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    const hub = ctx.hub;
    if (hub.isHub) {
      new PinnedChart(this, "jaeger", {
        source: CHARTS.jaeger,
        namespace: MONITORING_NAMESPACE,
        createNamespace: false,
        provider: ctx.helm,
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
    new PinnedChart(this, "otel-collector", {
      source: CHARTS.otelCollector,
      namespace: "tracing",
      provider: ctx.helm,
      values: {
        mode: "deployment",
        replicaCount: ctx.production ? 2 : 1,
        image: { repository: "otel/opentelemetry-collector-contrib" },
        config: {
          receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
          processors: { batch: {}, resource: { attributes: [{ key: "k8s.cluster.name", value: ctx.meshClusterName, action: "upsert" }] } },
          exporters: { "otlp/hub": { endpoint: hub.tracesEndpoint, tls: { insecure: true } } },
          service: { pipelines: { traces: { receivers: ["otlp"], processors: ["resource", "batch"], exporters: ["otlp/hub"] } } },
        },
      },
    });
  }
}
