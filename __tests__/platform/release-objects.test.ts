/**
 * Helm refuses to install an object that another release already owns ("... exists and cannot be
 * imported into the current release: invalid ownership metadata"), so two releases of one cluster
 * must never declare the same object. The data-copy jobs share one namespace (`data-copies`) and
 * one construct (DumpRestoreJob): a fixed object name there (the CA bundle's ConfigMap once was
 * `source-ca` for every job) stops the second job's release on its first install. Checked over the
 * plain-manifest releases (the `raw` chart's `resources`) of every platform stack of every shipped
 * environment, and of production with DocumentDB off (PostgreSQL jobs only).
 */
import { parse } from "yaml";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { buildStacks, resourcesOf, shippedEnvironment, shippedEnvironments, synthJson } from "../support/synth";

/** Kinds without a namespace: their names are unique in the whole cluster. */
const CLUSTER_SCOPED = /^(Namespace|CustomResourceDefinition|Cluster\w+|PriorityClass|StorageClass|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|K8s\w+|ConstraintTemplate|Assign\w*|ModifySet)$/;

/** For each platform stack: every object its plain-manifest releases declare, with the releases declaring it. */
function owners(env: EnvironmentConfig): Map<string, Map<string, string[]>> {
  const byStack = new Map<string, Map<string, string[]>>();
  for (const [id, stack] of buildStacks([env]).stacks) {
    if (!id.endsWith("-platform")) continue;
    const objects = new Map<string, string[]>();
    for (const release of Object.values(resourcesOf(synthJson(stack), "helm_release")) as any[]) {
      const resources = release.values?.[0] ? parse(release.values[0])?.resources : undefined;
      if (!Array.isArray(resources)) continue;
      for (const manifest of resources) {
        const namespace = CLUSTER_SCOPED.test(manifest.kind) ? "" : (manifest.metadata?.namespace ?? release.namespace);
        const key = `${manifest.apiVersion.split("/")[0]} ${manifest.kind} ${namespace}/${manifest.metadata?.name}`;
        objects.set(key, [...(objects.get(key) ?? []), release.name]);
      }
    }
    byStack.set(id, objects);
  }
  return byStack;
}

const variants: [string, EnvironmentConfig][] = [
  ...shippedEnvironments().map((env) => [env.name, env] as [string, EnvironmentConfig]),
  ["production with DocumentDB off", shippedEnvironment("production", (c: any) => { c.clouds.aws.data.documentdb = { ...c.clouds.aws.data.documentdb, enabled: false }; })],
];

test.each(variants)("%s: no two releases of a cluster declare the same object", (_name, env) => {
  const stacks = owners(env);
  expect(stacks.size).toBeGreaterThan(0);
  for (const [id, objects] of stacks) {
    const shared = [...objects].filter(([, releases]) => releases.length > 1).map(([key, releases]) => `${id}: ${key} in ${releases.join(", ")}`);
    expect(shared).toEqual([]);
  }
});

test("the Azure platform of production runs several data-copy jobs in one namespace (the case this guards)", () => {
  const objects = owners(shippedEnvironment("production")).get("production-azure-platform")!;
  const caBundles = [...objects.keys()].filter((key) => / ConfigMap data-copies\/.*source-ca$/.test(key));
  expect(caBundles.sort()).toEqual(["v1 ConfigMap data-copies/mongodb-refresh-source-ca", "v1 ConfigMap data-copies/postgres-refresh-source-ca"]);
});
