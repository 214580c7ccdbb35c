/**
 * What the pinned charts render that their values alone do not show, read from each chart's
 * templates at the version pinned in `charts.ts`: the Jobs and CronJobs they run (Helm hooks and
 * scheduled jobs), and the resource requests they compute. Tests use these facts to check what the
 * cluster will do with the values (a hook Job in an injected namespace, a pod bigger than a node).
 * Upgrading a chart in `charts.ts` means reading its templates again and updating its entry here:
 * facts are keyed by `<chart>@<version>`, so a test fails until that is done.
 */
import { CHARTS } from "./charts";

type Values = Record<string, any>;

/** Reads `path` from chart values (undefined when any part is missing). */
export function valueAt(values: Values | undefined, path: readonly string[]): any {
  return path.reduce<any>((node, key) => (node === undefined || node === null ? undefined : node[key]), values);
}

/** A Job or CronJob a chart renders, and how its pod template takes annotations. */
export interface ChartJob {
  readonly kind: "Job" | "CronJob";
  /** Name suffix of the rendered object. */
  readonly name: string;
  /** The template at the pinned version. */
  readonly template: string;
  /** `pre-install,pre-upgrade`, ... for Helm hooks; undefined for a job that is not a hook. */
  readonly hook?: string;
  /** Values path whose map becomes the annotations of the Job's pod template. */
  readonly podAnnotations: readonly string[];
  /** Whether the chart renders the job under these values (chart defaults applied). */
  rendered(values: Values): boolean;
}

/** A pod whose requests the chart computes instead of taking them from `resources` values. */
export interface ComputedRequests {
  readonly component: string;
  readonly template: string;
  /** CPU in millicores and memory in MiB that the chart requests under these values, or undefined when the pod is off. */
  requests(values: Values): { cpuMillis: number; memoryMiB: number } | undefined;
}

/** Facts about one chart at one version. */
export interface ChartFacts {
  readonly jobs: readonly ChartJob[];
  readonly computedRequests?: readonly ComputedRequests[];
}

const key = (source: { chart: string; version: string }) => `${source.chart}@${source.version}`;
const off = (values: Values, path: string[]) => valueAt(values, path) === false;
const on = (values: Values, path: string[]) => valueAt(values, path) === true;

/**
 * Loki's memcached caches (templates/memcached/_memcached-statefulset.tpl at helm-loki-6.24.0):
 * without explicit `resources`, the pod requests round(allocatedMemory * 1.2) MiB and 500m CPU;
 * `allocatedMemory` defaults to 8192 for the chunks cache and 1024 for the results cache.
 */
function memcached(section: "chunksCache" | "resultsCache", defaultAllocatedMiB: number): ComputedRequests {
  return {
    component: `loki ${section}`,
    template: "templates/memcached/_memcached-statefulset.tpl",
    requests(values) {
      if (off(values, [section, "enabled"])) return undefined;
      if (valueAt(values, [section, "resources"])) return undefined; // explicit: read from values like every other pod
      const allocated = Number(valueAt(values, [section, "allocatedMemory"]) ?? defaultAllocatedMiB);
      return { cpuMillis: 500, memoryMiB: Math.floor((allocated * 12 + 5) / 10) };
    },
  };
}

export const CHART_FACTS: Readonly<Record<string, ChartFacts>> = {
  [key(CHARTS.kubePrometheusStack)]: {
    jobs: (["create", "patch"] as const).map((step) => ({
      kind: "Job" as const,
      name: `admission-${step}`,
      template: `templates/prometheus-operator/admission-webhooks/job-patch/job-${step === "create" ? "createSecret" : "patchWebhook"}.yaml`,
      hook: step === "create" ? "pre-install,pre-upgrade" : "post-install,post-upgrade",
      podAnnotations: ["prometheusOperator", "admissionWebhooks", "patch", "podAnnotations"],
      rendered: (values: Values) =>
        !off(values, ["prometheusOperator", "enabled"]) &&
        !off(values, ["prometheusOperator", "admissionWebhooks", "enabled"]) &&
        !off(values, ["prometheusOperator", "admissionWebhooks", "patch", "enabled"]) &&
        !on(values, ["prometheusOperator", "admissionWebhooks", "certManager", "enabled"]),
    })),
  },
  [key(CHARTS.loki)]: {
    // Both exist for Grafana Enterprise Logs only (`enterprise.enabled`, default false).
    jobs: [
      { kind: "Job", name: "provisioner", template: "templates/provisioner/job-provisioner.yaml", hook: "post-install", podAnnotations: ["enterprise", "provisioner", "annotations"], rendered: (v) => on(v, ["enterprise", "enabled"]) && !off(v, ["enterprise", "provisioner", "enabled"]) },
      { kind: "Job", name: "tokengen", template: "templates/tokengen/job-tokengen.yaml", hook: "post-install", podAnnotations: ["enterprise", "tokengen", "annotations"], rendered: (v) => on(v, ["enterprise", "enabled"]) && !off(v, ["enterprise", "tokengen", "enabled"]) },
    ],
    computedRequests: [memcached("chunksCache", 8192), memcached("resultsCache", 1024)],
  },
  [key(CHARTS.jaeger)]: {
    // Elasticsearch maintenance and Spark dependency jobs, all off by default.
    jobs: [
      { kind: "CronJob", name: "es-index-cleaner", template: "templates/es-index-cleaner-cronjob.yaml", podAnnotations: ["esIndexCleaner", "podAnnotations"], rendered: (v) => on(v, ["esIndexCleaner", "enabled"]) },
      { kind: "CronJob", name: "es-lookback", template: "templates/es-lookback-cronjob.yaml", podAnnotations: ["esLookback", "podAnnotations"], rendered: (v) => on(v, ["esLookback", "enabled"]) },
      { kind: "CronJob", name: "es-rollover", template: "templates/es-rollover-cronjob.yaml", podAnnotations: ["esRollover", "podAnnotations"], rendered: (v) => on(v, ["esRollover", "enabled"]) },
      { kind: "Job", name: "es-rollover-init", template: "templates/es-rollover-hook.yml", hook: "pre-install,pre-upgrade", podAnnotations: ["esRollover", "initHook", "podAnnotations"], rendered: (v) => on(v, ["esRollover", "enabled"]) },
      { kind: "CronJob", name: "spark", template: "templates/spark-cronjob.yaml", podAnnotations: ["spark", "podAnnotations"], rendered: (v) => on(v, ["spark", "enabled"]) },
    ],
  },
  // Only a `helm test` Pod (templates/tests/test-connection.yaml), which install and upgrade never run.
  [key(CHARTS.fluentBit)]: { jobs: [] },
  [key(CHARTS.otelCollector)]: { jobs: [] },
  // prometheus-pushgateway-3.8.0/templates: a Deployment (or StatefulSet), Service, ServiceAccount, PVC, ServiceMonitor; no hook, no Job.
  [key(CHARTS.prometheusPushgateway)]: { jobs: [] },
  // prometheus-stackdriver-exporter-4.13.0/templates: a Deployment, Service, ServiceAccount, Secret (only with a key), ServiceMonitor, PrometheusRule; no hook, no Job.
  [key(CHARTS.prometheusStackdriverExporter)]: { jobs: [] },
  // Two operator Deployments, RBAC, the topology operator's webhook and cert-manager Certificate/Issuer;
  // no Job, CronJob or hook in any template of bitnami/rabbitmq-cluster-operator (read at 4.3.3).
  [key(CHARTS.rabbitmqClusterOperator)]: { jobs: [] },
};

/** The facts about a release's chart at its pinned version, or undefined when nobody has read it. */
export function chartFacts(chart: string, version: string): ChartFacts | undefined {
  return CHART_FACTS[`${chart}@${version}`];
}
