/**
 * Where the in-cluster RabbitMQ nodes may run, on every platform stack of every shipped environment
 * that has them: never on spot capacity (the cloud reclaims it at will, and a broker node holds
 * queue replicas on its volume), never two on one host. The spot label is the one the cluster
 * stacks put on their pools, so the check reads it from the synthesized node pools too.
 */
import { parse } from "yaml";
import { buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const { stacks } = buildStacks(shippedEnvironments());
const ids = [...stacks.keys()];
const clusters = ids
  .filter((id) => id.endsWith("-platform"))
  .flatMap((id) => {
    const releases = Object.values(resourcesOf(synthJson(stacks.get(id)!), "helm_release")) as any[];
    const bundle = releases.find((r) => r.name === "rabbitmq-cluster");
    const cluster = bundle && (parse(bundle.values[0]).resources as any[]).find((r) => r.kind === "RabbitmqCluster");
    return cluster ? [[id, cluster] as [string, any]] : [];
  });

/** The label key and value every synthesized spot node pool carries (GKE node_config.labels, EKS labels). */
const spotLabels = ids
  .filter((id) => id.endsWith("-cluster"))
  .flatMap((id) => {
    const json = synthJson(stacks.get(id)!);
    const pools = [...Object.values(resourcesOf(json, "google_container_node_pool")), ...Object.values(resourcesOf(json, "aws_eks_node_group"))] as any[];
    return pools.flatMap((pool) => Object.entries((pool.node_config?.labels ?? pool.labels ?? {}) as Record<string, string>)).filter(([, value]) => value === "spot");
  });

describe("in-cluster RabbitMQ nodes stay off reclaimable capacity", () => {
  test("the shipped environments have spot pools and RabbitMQ clusters, so the check below bites", () => {
    expect(spotLabels.length).toBeGreaterThan(0);
    expect(clusters.length).toBeGreaterThan(0);
  });

  test.each(clusters)("%s: the RabbitmqCluster requires non-spot nodes and one node per host", (_id, cluster) => {
    const terms = cluster.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms as any[];
    // Every term (they are ORed) must exclude each spot label the cluster stacks use.
    for (const [key, value] of spotLabels) {
      for (const term of terms) {
        expect(term.matchExpressions).toContainEqual({ key, operator: "NotIn", values: [value] });
      }
    }
    expect(cluster.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe("kubernetes.io/hostname");
  });
});
