/**
 * Application namespaces deny all egress by default; their pods must still reach the cloud's
 * managed databases and brokers. Over every platform stack of every shipped environment: each
 * application namespace admits the cloud's network ranges on every port its data and messaging
 * stacks publish (and the in-cluster RabbitMQ where it runs), and nothing wider.
 */
import { dataServiceEgress } from "../../constructs/kubernetes/network-policies";
import type { KubernetesCloud } from "../../modules/config/environment";
import { buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const envs = shippedEnvironments();
const { stacks } = buildStacks(envs);
const all = [...stacks.values()];
const platforms = all.filter((stack) => stack.layer === "platform");

/** The numeric `*_port` outputs of this environment's data and messaging stacks on `cloud`. */
function publishedPorts(envName: string, cloud: string): number[] {
  return all
    .filter((stack) => stack.env.name === envName && stack.cloud === cloud && (stack.layer === "data" || stack.layer === "messaging"))
    .flatMap((stack) => Object.entries<any>(synthJson(stack).output ?? {}))
    .filter(([name, output]) => name.endsWith("_port") && typeof output.value === "number")
    .map(([, output]) => output.value as number);
}

describe.each(platforms.map((stack) => [stack.node.id, stack] as const))("%s", (_, stack) => {
  const json = synthJson(stack);
  const env = envs.find((e) => e.name === stack.env.name)!;
  const cloud = stack.cloud as KubernetesCloud;
  const policies = Object.values<any>(resourcesOf(json, "kubernetes_network_policy_v1"));
  const dataPolicies = policies.filter((p) => p.metadata.name === "allow-data-services");

  test("every application namespace has the data-services egress policy", () => {
    const namespaces = new Set(policies.filter((p) => p.metadata.name === "default-deny-all").map((p) => p.metadata.namespace));
    expect(namespaces.size).toBeGreaterThan(0);
    expect(new Set(dataPolicies.map((p) => p.metadata.namespace))).toEqual(namespaces);
  });

  test("it admits only the cloud's own ranges, on every port its data and messaging contracts publish", () => {
    const expected = dataServiceEgress(env, cloud);
    for (const policy of dataPolicies) {
      const [ranges, ...inCluster] = policy.spec.egress;
      expect(ranges.to.map((peer: any) => peer.ip_block.cidr).sort()).toEqual([...expected.ranges].sort());
      // Beside the ranges, only the in-cluster RabbitMQ (GCP, Azure, DigitalOcean) on its AMQPS port.
      for (const rule of inCluster) {
        expect(rule.to).toEqual([{ namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "rabbitmq" } } }]);
        expect(rule.ports).toEqual([{ port: "5671", protocol: "TCP" }]);
      }
      const admitted = policy.spec.egress.flatMap((rule: any) => rule.ports.map((p: any) => Number(p.port)));
      for (const port of publishedPorts(env.name, cloud)) expect(admitted).toContain(port);
      expect(ranges.ports.every((p: any) => p.protocol === "TCP")).toBe(true);
    }
  });
});
