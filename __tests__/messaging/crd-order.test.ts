/**
 * A manifest bundle that renders a Prometheus Operator object (ServiceMonitor, PodMonitor, ...) must
 * be installed after kube-prometheus-stack, the release that brings those CRDs: Helm refuses a kind
 * the API server does not know yet, and on a new cluster both arrive in the same apply. Checked over
 * every platform stack of every shipped environment.
 */
import { parse } from "yaml";
import { buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const SHIPPED = shippedEnvironments();

describe("Prometheus Operator objects install after the release that brings their CRDs", () => {
  const { stacks } = buildStacks(SHIPPED);
  const platformIds = [...stacks.keys()].filter((id) => id.endsWith("-platform"));

  test.each(platformIds)("%s: every bundle rendering a monitoring.coreos.com object depends on kube-prometheus-stack", (id) => {
    const releases = resourcesOf(synthJson(stacks.get(id)!), "helm_release");
    const crdOwner = Object.keys(releases).find((name) => releases[name].name === "kube-prometheus-stack");
    const bundles = Object.entries(releases).filter(([, release]) => {
      const resources = (release.values ?? []).flatMap((v: string) => (parse(v)?.resources as { apiVersion?: string }[] | undefined) ?? []);
      return resources.some((r: { apiVersion?: string }) => String(r.apiVersion).startsWith("monitoring.coreos.com/"));
    });
    for (const [name, release] of bundles) {
      expect({ name, crdOwner: crdOwner ? `helm_release.${crdOwner}` : "no monitoring release" }).toEqual({ name, crdOwner: expect.any(String) });
      expect({ name, depends_on: release.depends_on ?? [] }).toEqual({ name, depends_on: expect.arrayContaining([`helm_release.${crdOwner}`]) });
    }
  });

  test("the in-cluster RabbitMQ renders its ServiceMonitor on each cluster that runs it, so the check above bites", () => {
    const withMonitor = platformIds.filter((id) => {
      const releases = Object.values(resourcesOf(synthJson(stacks.get(id)!), "helm_release")) as any[];
      const cluster = releases.find((r) => r.name === "rabbitmq-cluster");
      return cluster && (parse(cluster.values[0]).resources as any[]).some((r) => r.kind === "ServiceMonitor");
    });
    expect(withMonitor.sort()).toEqual(platformIds.filter((id) => !id.includes("-aws-")).sort());
  });
});
