/**
 * Every chart of the add-on catalogue, pinned to one exact version of one repository. Upgrading an
 * add-on is a one-line change here, reviewed with the snapshot diff of every platform stack.
 */
import type { ChartSource } from "./pinned-chart";

const JETSTACK = "https://charts.jetstack.io";
const ISTIO = "https://istio-release.storage.googleapis.com/charts";
const HASHICORP = "https://helm.releases.hashicorp.com";
const ARGO = "https://argoproj.github.io/argo-helm";
const PROMETHEUS = "https://prometheus-community.github.io/helm-charts";
const GRAFANA = "https://grafana.github.io/helm-charts";
const OTEL = "https://open-telemetry.github.io/opentelemetry-helm-charts";
export const ISTIO_VERSION = "1.24.2";
/** Where Istio 1.24's release charts take their images from (`global.hub`), set explicitly in istiod's values. */
export const ISTIO_HUB = "docker.io/istio";

export const CHARTS = {
  certManager: { chart: "cert-manager", repository: JETSTACK, version: "v1.16.2" },
  istioBase: { chart: "base", repository: ISTIO, version: ISTIO_VERSION },
  istiod: { chart: "istiod", repository: ISTIO, version: ISTIO_VERSION },
  istioGateway: { chart: "gateway", repository: ISTIO, version: ISTIO_VERSION },
  emissary: { chart: "emissary-ingress", repository: "https://app.getambassador.io", version: "8.9.1" },
  consul: { chart: "consul", repository: HASHICORP, version: "1.6.1" },
  argocd: { chart: "argo-cd", repository: ARGO, version: "7.7.11" },
  argocdApps: { chart: "argocd-apps", repository: ARGO, version: "2.0.2" },
  kubePrometheusStack: { chart: "kube-prometheus-stack", repository: PROMETHEUS, version: "66.3.1" },
  loki: { chart: "loki", repository: GRAFANA, version: "6.24.0" },
  fluentBit: { chart: "fluent-bit", repository: "https://fluent.github.io/helm-charts", version: "0.48.3" },
  jaeger: { chart: "jaeger", repository: "https://jaegertracing.github.io/helm-charts", version: "3.3.3" },
  otelCollector: { chart: "opentelemetry-collector", repository: OTEL, version: "0.111.2" },
  vault: { chart: "vault", repository: HASHICORP, version: "0.29.1" },
  falco: { chart: "falco", repository: "https://falcosecurity.github.io/charts", version: "4.16.1" },
  gatekeeper: { chart: "gatekeeper", repository: "https://open-policy-agent.github.io/gatekeeper/charts", version: "3.18.0" },
  clusterAutoscaler: { chart: "cluster-autoscaler", repository: "https://kubernetes.github.io/autoscaler", version: "9.59.0" },
  metricsServer: { chart: "metrics-server", repository: "https://kubernetes-sigs.github.io/metrics-server", version: "3.12.2" },
  vpa: { chart: "vpa", repository: "https://charts.fairwinds.com/stable", version: "4.7.1" },
  awsLoadBalancerController: { chart: "aws-load-balancer-controller", repository: "https://aws.github.io/eks-charts", version: "1.11.0" },
  /** RabbitMQ Cluster Operator + Messaging Topology Operator (Bitnami's packaging; images overridden to upstream's, see rabbitmq.ts). */
  rabbitmqClusterOperator: { chart: "rabbitmq-cluster-operator", repository: "oci://registry-1.docker.io/bitnamicharts", version: "4.3.3" },
  /** Receives the metrics of batch jobs (the restore check) on the backup cloud's cluster, in the non-injected data-copies namespace. */
  prometheusPushgateway: { chart: "prometheus-pushgateway", repository: PROMETHEUS, version: "3.8.0" },
  /** Brings Cloud Monitoring metrics (the DMS replica's lag) to the GKE cluster's Prometheus. */
  prometheusStackdriverExporter: { chart: "prometheus-stackdriver-exporter", repository: PROMETHEUS, version: "4.13.0" },
  /** Installs plain manifests (ClusterIssuers, Gatekeeper constraints, Istio gateways) as a release. */
  raw: { chart: "raw", repository: "https://bedag.github.io/helm-charts", version: "2.0.0" },
} as const satisfies Record<string, ChartSource>;
