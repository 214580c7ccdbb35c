/**
 * Every scheduled data copy is watched (issue 14): over every platform stack of every shipped
 * environment, each CronJob of the `data-copies` namespace (PostgreSQL and MongoDB refreshes, the
 * objects copy, the restore check) has a staleness rule on its environment's hub, so a copy that
 * silently stops running pages instead of aging unseen. A new copy job without a rule fails here.
 * Read from what `cdktf synth` writes (the shared app output).
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { runApp } from "../support/app-output";
import { stackPlace } from "../support/snapshots";
import { buildStacks, shippedEnvironment, synthJson } from "../support/synth";

const output = runApp();
const platforms = [...output.stacks.values()]
  .filter((s) => stackPlace(s.id).layer === "platform")
  .map((s) => ({ id: s.id, env: stackPlace(s.id).env, json: JSON.parse(fs.readFileSync(s.file, "utf8")) }));

/** The Kubernetes objects of every raw-chart release of a stack, each with the namespace it lands in (its own or the release's). */
function manifests(json: any): any[] {
  return Object.values(json.resource?.helm_release ?? {}).flatMap((r: any) => {
    if (r.chart !== "raw") return [];
    return (r.values ?? []).flatMap((v: string) => (parse(v)?.resources ?? []).map((m: any) => ({ ...m, namespace: m.metadata?.namespace ?? r.namespace })));
  });
}

// Every CronJob that lands in data-copies, whatever its labels: a new copy job cannot slip past.
const copyJobs = platforms.flatMap((p) =>
  manifests(p.json)
    .filter((m) => m.kind === "CronJob" && m.namespace === "data-copies")
    .map((m) => ({ stack: p.id, env: p.env, name: m.metadata.name as string })),
);

/** The expressions of the hub's data-copy rules of an environment. */
function hubRuleExpressions(env: string): string[] {
  return platforms
    .filter((p) => p.env === env)
    .flatMap((p) => manifests(p.json))
    .filter((m) => m.kind === "PrometheusRule" && m.metadata.name === "data-copies")
    .flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr))));
}

test("the shipped matrix runs copy jobs on more than one cluster", () => {
  expect(new Set(copyJobs.map((j) => j.stack)).size).toBeGreaterThan(1);
});

test.each(copyJobs.map((j) => [j.stack, j.name, j.env] as const))("%s: CronJob %s has a staleness rule on the hub", (_stack, name, env) => {
  const expressions = hubRuleExpressions(env);
  const watches = expressions.some((e) => e.includes("time()") && e.includes(`cronjob="${name}"`)) || expressions.some((e) => e.includes("time()") && e.includes("addtocloud_restore_check") && name.endsWith("restore-check"));
  expect(watches).toBe(true);
});

// A CronJob name may run on several clusters (the MongoDB refresh on AKS and GKE): the rule saying
// "never succeeded" must expect a success from this job's own cluster, or another cluster's success
// hides it. The hub's own series carry no external label (cluster="").
test.each(copyJobs.filter((j) => !j.name.endsWith("restore-check")).map((j) => [j.stack, j.name, j.env] as const))(
  "%s: CronJob %s is expected to succeed on its own cluster (absent per cluster)",
  (stack, name, env) => {
    const { cloud } = stackPlace(stack);
    const hub = platforms.find((p) => p.env === env && manifests(p.json).some((m) => m.kind === "PrometheusRule" && m.metadata.name === "data-copies"))!;
    const cluster = hub.id === stack ? "" : `${env}-${cloud}`;
    const terms = hubRuleExpressions(env).flatMap((e) => e.split(" or "));
    expect(terms).toContain(`absent(kube_cronjob_status_last_successful_time{cluster="${cluster}", namespace="data-copies", cronjob="${name}"})`);
  },
);

// Without monitoring on a job's cluster, no kube-state-metrics reports it: a rule for it could only
// ever fire "absent". Such a job is not watched (the hub's rules name only jobs that can report).
test("a copy job on a cluster without monitoring gets no rule on the hub", () => {
  const env = shippedEnvironment("production", (c: any) => { c.platform = { ...c.platform, cloudAddons: { ...c.platform?.cloudAddons, azure: { ...c.platform?.cloudAddons?.azure, monitoring: false } } }; });
  const { stacks } = buildStacks([env]);
  const expressions = [...stacks.values()]
    .filter((s) => s.layer === "platform")
    .flatMap((s) => manifests(synthJson(s)))
    .filter((m) => m.kind === "PrometheusRule" && m.metadata.name === "data-copies")
    .flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr))));
  for (const azureOnly of ["postgres-refresh", "objects-copy"]) expect(expressions.some((e) => e.includes(`cronjob="${azureOnly}"`))).toBe(false);
  expect(expressions.some((e) => e.includes("addtocloud_restore_check"))).toBe(false);
  // GKE still reports its MongoDB refresh.
  expect(expressions.some((e) => e.includes('cronjob="mongodb-refresh"'))).toBe(true);
});
