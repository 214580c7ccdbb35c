/**
 * RBAC for people: a read-only ClusterRole (no secrets), a developer ClusterRole bound per
 * application namespace, and cluster-admin, each bound to the identity groups from config (IAM/OIDC
 * groups as the cluster's authenticator presents them).
 */
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { Construct } from "constructs";
import type { PlatformContext } from "./platform-context";

export const READ_ONLY_ROLE = "addtocloud:read-only";
export const DEVELOPER_ROLE = "addtocloud:developer";

const READ = ["get", "list", "watch"];
const WRITE = [...READ, "create", "update", "patch", "delete"];

/** Properties for {@link PlatformRbac}. */
export interface PlatformRbacProps {
  readonly readOnlyGroups: readonly string[];
  readonly developerGroups: readonly string[];
  readonly adminGroups: readonly string[];
  readonly applicationNamespaces: readonly string[];
}

export class PlatformRbac extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: PlatformRbacProps) {
    super(scope, id);
    const provider = ctx.kubernetes;
    // Explicit resources, no wildcards: a new API group never widens these roles by itself.
    const workloadResources = [
      { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
      { apiGroups: ["batch"], resources: ["jobs", "cronjobs"] },
      { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
    ];
    const workloads = [
      { apiGroups: [""], resources: ["pods", "pods/log", "services", "endpoints", "configmaps", "persistentvolumeclaims", "events", "namespaces", "nodes"], verbs: READ },
      ...workloadResources.map((rule) => ({ ...rule, verbs: READ })),
      { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ },
      { apiGroups: ["networking.istio.io"], resources: ["virtualservices", "destinationrules", "gateways", "serviceentries"], verbs: READ },
      { apiGroups: ["security.istio.io"], resources: ["peerauthentications", "authorizationpolicies"], verbs: READ },
      { apiGroups: ["argoproj.io"], resources: ["applications"], verbs: READ },
    ];
    new ClusterRoleV1(this, "read-only", { provider, metadata: { name: READ_ONLY_ROLE }, rule: workloads });
    new ClusterRoleV1(this, "developer", {
      provider,
      metadata: { name: DEVELOPER_ROLE },
      rule: [
        { apiGroups: [""], resources: ["pods", "pods/log", "pods/portforward", "services", "configmaps", "persistentvolumeclaims", "events"], verbs: WRITE },
        ...workloadResources.map((rule) => ({ ...rule, verbs: WRITE })),
        { apiGroups: ["networking.istio.io"], resources: ["virtualservices", "destinationrules"], verbs: WRITE },
        { apiGroups: [""], resources: ["secrets"], verbs: ["list"] },
      ],
    });
    const subjects = (groups: readonly string[]) => groups.map((name) => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" }));
    if (props.readOnlyGroups.length > 0) {
      new ClusterRoleBindingV1(this, "read-only-binding", {
        provider,
        metadata: { name: READ_ONLY_ROLE },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: READ_ONLY_ROLE },
        subject: subjects(props.readOnlyGroups),
      });
    }
    if (props.adminGroups.length > 0) {
      new ClusterRoleBindingV1(this, "admin-binding", {
        provider,
        metadata: { name: "addtocloud:admin" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subject: subjects(props.adminGroups),
      });
    }
    if (props.developerGroups.length > 0) {
      for (const namespace of props.applicationNamespaces) {
        new RoleBindingV1(this, `developer-${namespace}`, {
          provider,
          metadata: { name: DEVELOPER_ROLE, namespace },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: DEVELOPER_ROLE },
          subject: subjects(props.developerGroups),
        });
      }
    }
  }
}
