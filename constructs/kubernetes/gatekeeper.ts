/**
 * OPA Gatekeeper with the baseline constraints, applied in the same deploy as the controller:
 * no privileged containers (outside the system namespaces that need them), required labels on
 * application workloads, and images only from allowed registries in application namespaces.
 * Violations are denied in production and warned about elsewhere.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

/** Namespaces whose add-ons legitimately run privileged pods (CNI, mesh, node agents). */
export const PRIVILEGED_NAMESPACES = ["kube-system", "istio-system", "istio-ingress", "falco", "gatekeeper-system", "monitoring", "logging"] as const;

const CONTAINERS_REGO = `
input_containers[c] {
  c := input.review.object.spec.containers[_]
}
input_containers[c] {
  c := input.review.object.spec.initContainers[_]
}
input_containers[c] {
  c := input.review.object.spec.ephemeralContainers[_]
}`;

function template(kind: string, rego: string, parameters?: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: kind.toLowerCase() },
    spec: {
      crd: { spec: { names: { kind }, ...(parameters ? { validation: { openAPIV3Schema: { type: "object", properties: parameters } } } : {}) } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", rego: rego.trim() + "\n" }],
    },
  };
}

export const CONSTRAINT_TEMPLATES = [
  template(
    "K8sBlockPrivileged",
    `package k8sblockprivileged
violation[{"msg": msg}] {
  c := input_containers[_]
  c.securityContext.privileged
  msg := sprintf("privileged container is not allowed: %v", [c.name])
}
${CONTAINERS_REGO}`,
  ),
  template(
    "K8sRequiredLabels",
    `package k8srequiredlabels
violation[{"msg": msg}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("missing required labels: %v", [missing])
}`,
    { labels: { type: "array", items: { type: "string" } } },
  ),
  template(
    "K8sAllowedRepos",
    `package k8sallowedrepos
violation[{"msg": msg}] {
  c := input_containers[_]
  not allowed(c.image)
  msg := sprintf("image %v is not from an allowed registry", [c.image])
}
allowed(image) {
  startswith(image, input.parameters.repos[_])
}
${CONTAINERS_REGO}`,
    { repos: { type: "array", items: { type: "string" } } },
  ),
];

/** Properties for {@link Gatekeeper}. */
export interface GatekeeperProps {
  readonly applicationNamespaces: readonly string[];
  readonly allowedRegistries: readonly string[];
}

export class Gatekeeper extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: GatekeeperProps) {
    super(scope, id);
    const action = ctx.production ? "deny" : "warn";
    const controller = new PinnedChart(this, "chart", {
      source: CHARTS.gatekeeper,
      namespace: "gatekeeper-system",
      provider: ctx.helm,
      values: { replicas: ctx.production ? 3 : 1, auditInterval: 60, emitAdmissionEvents: true, emitAuditEvents: true },
    });
    const templates = new ManifestBundle(this, "templates", {
      releaseName: "gatekeeper-templates",
      namespace: "gatekeeper-system",
      provider: ctx.helm,
      dependsOn: [controller.release],
      manifests: CONSTRAINT_TEMPLATES,
    });
    const appPods = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: [...props.applicationNamespaces] };
    new ManifestBundle(this, "constraints", {
      releaseName: "gatekeeper-constraints",
      namespace: "gatekeeper-system",
      provider: ctx.helm,
      dependsOn: [templates.release],
      manifests: [
        {
          apiVersion: "constraints.gatekeeper.sh/v1beta1",
          kind: "K8sBlockPrivileged",
          metadata: { name: "no-privileged-containers" },
          spec: { enforcementAction: action, match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: [...PRIVILEGED_NAMESPACES] } },
        },
        {
          apiVersion: "constraints.gatekeeper.sh/v1beta1",
          kind: "K8sRequiredLabels",
          metadata: { name: "workloads-have-app-labels" },
          spec: {
            enforcementAction: action,
            match: { kinds: [{ apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet", "DaemonSet"] }], namespaces: [...props.applicationNamespaces] },
            parameters: { labels: ["app.kubernetes.io/name", "app.kubernetes.io/part-of"] },
          },
        },
        {
          apiVersion: "constraints.gatekeeper.sh/v1beta1",
          kind: "K8sAllowedRepos",
          metadata: { name: "images-from-allowed-registries" },
          spec: { enforcementAction: action, match: appPods, parameters: { repos: [...props.allowedRegistries] } },
        },
      ],
    });
  }
}
