/** A namespace owned by the platform stack, with the labels the mesh and the policies select on. */
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { PlatformContext } from "./platform-context";

/** The label that makes istiod's webhook inject a sidecar into every pod of a namespace. */
export const SIDECAR_INJECTION_LABEL: Readonly<Record<string, string>> = { "istio-injection": "enabled" };

/**
 * Pod annotation that keeps the sidecar out of one pod. Hook Jobs need it in an injected namespace:
 * Istio 1.24 runs the proxy as an ordinary container (native sidecars are off), so it keeps
 * running after the Job's container exits, the Job never completes and Helm times out.
 */
export const NO_SIDECAR: Readonly<Record<string, string>> = { "sidecar.istio.io/inject": "false" };

export function platformNamespace(scope: Construct, ctx: PlatformContext, name: string, labels: Record<string, string> = {}): NamespaceV1 {
  return new NamespaceV1(scope, `namespace-${name}`, {
    provider: ctx.kubernetes,
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "cdktf", ...labels } },
  });
}

/** A namespace in the mesh, and what a release installing into it must wait for. */
export interface MeshNamespace {
  readonly namespace: NamespaceV1;
  /** The namespace and, when Istio is on, istiod (whose webhook injects the sidecars). */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * A namespace whose pods get the Istio sidecar. Releases installing into it depend on the namespace
 * and on istiod: a pod created before the injector's webhook exists starts without a sidecar and
 * stays outside the mesh (unable to reach mesh-only names or STRICT mTLS peers) until restarted.
 */
export function meshNamespace(scope: Construct, ctx: PlatformContext, name: string, labels: Record<string, string> = {}): MeshNamespace {
  const namespace = platformNamespace(scope, ctx, name, { ...SIDECAR_INJECTION_LABEL, ...labels });
  return { namespace, dependsOn: [namespace, ...(ctx.meshInjector ? [ctx.meshInjector] : [])] };
}
