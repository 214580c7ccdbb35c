/**
 * Emissary-ingress (Ambassador) as an API gateway beside the Istio ingress gateway: it runs inside
 * the mesh (sidecar-injected, ClusterIP), and Istio's ingress gateway routes API paths to it, so
 * there is still one public entry point per cluster.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { meshNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export class ApiGateway extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    const ns = meshNamespace(this, ctx, "emissary");
    new PinnedChart(this, "chart", {
      source: CHARTS.emissary,
      namespace: "emissary",
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: ns.dependsOn,
      values: {
        replicaCount: ctx.production ? 3 : 1,
        service: { type: "ClusterIP" },
        podDisruptionBudget: ctx.production ? { minAvailable: 1 } : {},
        adminService: { create: true, type: "ClusterIP" },
      },
    });
  }
}
