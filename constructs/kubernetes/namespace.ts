/** A namespace owned by the platform stack, with the labels the mesh and the policies select on. */
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import type { PlatformContext } from "./platform-context";

export function platformNamespace(scope: Construct, ctx: PlatformContext, name: string, labels: Record<string, string> = {}): NamespaceV1 {
  return new NamespaceV1(scope, `namespace-${name}`, {
    provider: ctx.kubernetes,
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "cdktf", ...labels } },
  });
}
