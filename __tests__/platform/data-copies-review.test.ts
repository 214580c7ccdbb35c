/**
 * What the data-copy monitoring must get right for the alerts to mean what they say, checked over
 * every stack of every shipped environment (found in review of issue 14):
 * - a ServiceMonitor of the Stackdriver exporter ignores the sample timestamps the exporter sets:
 *   they are the Cloud Monitoring points' end times, shifted back by the metric's ingest delay, so
 *   the samples sit near or past Prometheus's 5-minute lookback and drop out of instant queries
 *   (the lag alert's `for` resets, its `absent()` flaps);
 * - no rule reads a Job as failed from `kube_job_status_failed` (pods that failed, so a Job that
 *   succeeded on its retry counts as failed); the Job's own Failed condition is `kube_job_failed`;
 * - an rclone S3 remote reading the primary's SSE-KMS object bucket says so
 *   (`server_side_encryption = aws:kms`): otherwise rclone takes the objects' ETags, which under
 *   SSE-KMS are not MD5s, for MD5s and stamps them on the copies as their Content-MD5.
 */
import { parse } from "yaml";
import { CHARTS } from "../../constructs/kubernetes/charts";
import { TerraformJson, buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const synthesized = shippedEnvironments().flatMap((env) => [...buildStacks([env]).stacks.entries()].map(([id, stack]) => ({ id, env: env.name, json: synthJson(stack) })));

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

/** The server-side encryption of the primary's object bucket (the `object_bucket_name` output) of an environment. */
function objectBucketEncryption(env: string): string | undefined {
  const data = synthesized.find((s) => s.id === `${env}-aws-data`);
  if (!data) return undefined;
  const bucketRef = /^\$\{aws_s3_bucket\.([\w-]+)\.bucket\}$/.exec((data.json as any).output?.object_bucket_name?.value ?? "")?.[1];
  const config = Object.values(resourcesOf(data.json, "aws_s3_bucket_server_side_encryption_configuration")).find((c: any) => c.bucket === `\${aws_s3_bucket.${bucketRef}.id}`);
  return config?.rule?.[0]?.apply_server_side_encryption_by_default?.sse_algorithm;
}

/** Every container of every workload a stack installs through plain manifests, with the stack's environment. */
const rcloneContainers = synthesized.flatMap((s) =>
  releases(s.json)
    .flatMap((r) => (valuesOf(r)?.resources ?? []) as any[])
    .flatMap((m) => {
      const pod = m?.spec?.jobTemplate?.spec?.template?.spec ?? m?.spec?.template?.spec;
      return pod ? [...(pod.initContainers ?? []), ...(pod.containers ?? [])] : [];
    })
    .filter((c: any) => /\/rclone:/.test(c.image ?? ""))
    .map((c: any) => ({ id: `${s.id} ${c.name}`, env: s.env, container: c })),
);

test("the matrix holds rclone copies from an SSE-KMS bucket", () => {
  expect(rcloneContainers.length).toBeGreaterThan(0);
  expect(rcloneContainers.every((c) => objectBucketEncryption(c.env) === "aws:kms")).toBe(true);
});

test.each(rcloneContainers.map((c) => [c.id, c] as const))("%s: every S3 remote declares the bucket's SSE-KMS, so ETags are not taken for MD5s", (_id, { env, container }) => {
  const vars = new Map<string, string>((container.env ?? []).map((v: any) => [v.name, v.value]));
  const s3Remotes = [...vars.entries()].filter(([name, value]) => /^RCLONE_CONFIG_\w+_TYPE$/.test(name) && value === "s3").map(([name]) => name.replace(/_TYPE$/, ""));
  expect(s3Remotes.length).toBeGreaterThan(0);
  expect(objectBucketEncryption(env)).toBe("aws:kms");
  for (const remote of s3Remotes) expect(vars.get(`${remote}_SERVER_SIDE_ENCRYPTION`)).toBe("aws:kms");
});
