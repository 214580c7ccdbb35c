/**
 * What the data-copy monitoring must get right for the alerts to mean what they say, checked over
 * every stack of every shipped environment (found in review of issue 14):
 * - a ServiceMonitor of the Stackdriver exporter ignores the sample timestamps the exporter sets:
 *   they are the Cloud Monitoring points' end times, shifted back by the metric's ingest delay, so
 *   the samples sit near or past Prometheus's 5-minute lookback and drop out of instant queries
 *   (the lag alert's `for` resets, its `absent()` flaps);
 * - no rule reads a Job as failed from `kube_job_status_failed` (pods that failed, so a Job that
 *   succeeded on its retry counts as failed); the Job's own Failed condition is `kube_job_failed`.
 */
import { parse } from "yaml";
import { CHARTS } from "../../constructs/kubernetes/charts";
import { TerraformJson, buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const synthesized = shippedEnvironments().flatMap((env) => [...buildStacks([env]).stacks.entries()].map(([id, stack]) => ({ id, json: synthJson(stack) })));

const releases = (json: TerraformJson): any[] => Object.values(resourcesOf(json, "helm_release"));
const valuesOf = (r: any): any => (r.values?.[0] ? parse(r.values[0]) : {});

/** Every PrometheusRule rule a stack installs (plain manifests through the raw chart). */
function rulesOf(json: TerraformJson): { alert?: string; record?: string; expr: string }[] {
  return releases(json)
    .flatMap((r) => (valuesOf(r)?.resources ?? []) as any[])
    .filter((m) => m?.kind === "PrometheusRule")
    .flatMap((m) => (m.spec?.groups ?? []).flatMap((g: any) => g.rules ?? []));
}

const exporters = synthesized.flatMap((s) => releases(s.json).filter((r) => r.chart === CHARTS.prometheusStackdriverExporter.chart).map((r) => ({ id: s.id, release: r })));
const withRules = synthesized.filter((s) => rulesOf(s.json).length > 0);

test("the matrix holds Stackdriver exporters and rule sets to check", () => {
  expect(exporters.length).toBeGreaterThan(0);
  expect(withRules.length).toBeGreaterThan(0);
  expect(withRules.flatMap((s) => rulesOf(s.json)).some((r) => r.expr.includes("kube_job_failed"))).toBe(true);
});

test.each(exporters.map((e) => [e.id, e.release] as const))("%s: Prometheus stamps the Stackdriver exporter's samples with the scrape time", (_id, release) => {
  const serviceMonitor = valuesOf(release).serviceMonitor;
  expect(serviceMonitor.enabled).toBe(true);
  // The chart's default is true (values.yaml at 4.13.0), so it must be set, to false.
  expect(serviceMonitor.honorTimestamps).toBe(false);
});

test.each(withRules.map((s) => [s.id, s.json] as const))("%s: no rule reads a Job's failure from its failed pods", (_id, json) => {
  const offending = rulesOf(json).filter((r) => /\bkube_job_status_failed\b/.test(r.expr)).map((r) => r.alert ?? r.record);
  expect(offending).toEqual([]);
});
