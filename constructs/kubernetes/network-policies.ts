/**
 * The application namespaces (sidecar injection on) with default-deny NetworkPolicies: nothing in
 * or out unless allowed, then DNS, the mesh control plane, traffic within the namespace, the
 * ingress gateway, the east-west gateway and Prometheus scraping. Every CNI here enforces them
 * (VPC CNI network policy agent on EKS, Dataplane V2 on GKE, Azure CNI/Cilium on AKS, Cilium on DOKS).
 */
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { SIDECAR_INJECTION_LABEL, platformNamespace } from "./namespace";
import type { PlatformContext } from "./platform-context";

const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });

/** Properties for {@link ApplicationNamespaces}. */
export interface ApplicationNamespacesProps {
  readonly namespaces: readonly string[];
}

export class ApplicationNamespaces extends Construct {
  /** The namespace resources: Argo CD syncs the applications into them only once they exist. */
  readonly namespaces: NamespaceV1[] = [];

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ApplicationNamespacesProps) {
    super(scope, id);
    for (const name of props.namespaces) {
      const ns = platformNamespace(this, ctx, name, SIDECAR_INJECTION_LABEL);
      this.namespaces.push(ns);
      const policy = (policyName: string, types: string[], ingress?: NetworkPolicyV1SpecIngress[], egress?: NetworkPolicyV1SpecEgress[]) =>
        new NetworkPolicyV1(this, `${name}-${policyName}`, {
          provider: ctx.kubernetes,
          metadata: { name: policyName, namespace: ns.metadata.name },
          spec: { podSelector: {}, policyTypes: types, ingress, egress },
        });
      policy("default-deny-all", ["Ingress", "Egress"]);
      policy("allow-dns", ["Egress"], undefined, [
        { to: [inNamespace("kube-system")], ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] },
      ]);
      policy("allow-mesh-control-plane", ["Egress"], undefined, [
        { to: [inNamespace("istio-system")], ports: [{ port: "15012", protocol: "TCP" }, { port: "15017", protocol: "TCP" }, { port: "15443", protocol: "TCP" }] },
      ]);
      policy("allow-same-namespace", ["Ingress", "Egress"], [{ from: [{ podSelector: {} }] }], [{ to: [{ podSelector: {} }] }]);
      policy("allow-from-gateways", ["Ingress"], [{ from: [inNamespace("istio-ingress"), inNamespace("istio-system")] }]);
      policy("allow-prometheus-scrape", ["Ingress"], [{ from: [inNamespace("monitoring")], ports: [{ port: "15020", protocol: "TCP" }] }]);
    }
  }
}
