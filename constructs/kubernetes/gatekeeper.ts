/**
 * OPA Gatekeeper with the baseline constraints, applied in the same deploy as the controller once
 * its constraint CRDs exist:
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

/** The constraint kind a ConstraintTemplate defines. */
export function constraintKind(template: Record<string, any>): string {
  return template.spec.crd.spec.names.kind;
}

export const CONSTRAINT_TEMPLATES: Record<string, any>[] = [
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

/**
 * kubectl >= 1.31 (`wait --for=create`), the image Gatekeeper's own CRD image is built from
 * (crd.Dockerfile), shell-free: the binary is /bin/kubectl.
 */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.32.0";

/** The CRD Gatekeeper's controller makes for a ConstraintTemplate of kind `kind`. */
export function constraintCrd(kind: string): string {
  return `${kind.toLowerCase()}.constraints.gatekeeper.sh`;
}

/**
 * Hook resources of the templates release that hold it until the controller has made every
 * template's constraint CRD and the API server serves it. Without them the constraints release,
 * which runs right after, fails with "no matches for kind K8sBlockPrivileged": the controller
 * creates those CRDs asynchronously, after the templates exist.
 */
function crdWaitHook(kinds: readonly string[]): Record<string, unknown>[] {
  const name = "gatekeeper-constraint-crds-ready";
  const hook = (weight: number) => ({
    "helm.sh/hook": "post-install,post-upgrade",
    "helm.sh/hook-weight": String(weight),
    "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
  });
  const crds = kinds.map((kind) => `crd/${constraintCrd(kind)}`);
  const kubectl = (args: string[]) => ({
    image: KUBECTL_IMAGE,
    command: ["/bin/kubectl", ...args, ...crds],
    // kubectl keeps its discovery cache under $HOME/.kube; the root filesystem is read-only.
    env: [{ name: "HOME", value: "/tmp" }],
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "gatekeeper-system", annotations: hook(-10) } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name, annotations: hook(-10) },
      rules: [{ apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, annotations: hook(-10) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace: "gatekeeper-system" }],
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace: "gatekeeper-system", annotations: hook(0) },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { annotations: { "sidecar.istio.io/inject": "false" } },
          spec: {
            serviceAccountName: name,
            restartPolicy: "Never",
            volumes: [{ name: "tmp", emptyDir: {} }],
            initContainers: [{ name: "created", ...kubectl(["wait", "--for=create", "--timeout=300s"]) }],
            containers: [{ name: "established", ...kubectl(["wait", "--for=condition=Established", "--timeout=120s"]) }],
          },
        },
      },
    },
  ];
}

/** Properties for {@link Gatekeeper}. */
export interface GatekeeperProps {
  readonly applicationNamespaces: readonly string[];
  readonly allowedRegistries: readonly string[];
  /**
   * Images the platform itself adds to application pods (the mesh's sidecar and init container),
   * allowed beside `allowedRegistries`, or every injected pod would be denied in production.
   * @default none
   */
  readonly platformImages?: readonly string[];
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
      manifests: [...CONSTRAINT_TEMPLATES, ...crdWaitHook(CONSTRAINT_TEMPLATES.map(constraintKind))],
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
          spec: { enforcementAction: action, match: appPods, parameters: { repos: [...props.allowedRegistries, ...(props.platformImages ?? [])] } },
        },
      ],
    });
  }
}
