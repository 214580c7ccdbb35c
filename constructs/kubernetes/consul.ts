/**
 * Consul for cross-cloud service discovery, in catalog-sync mode only: it mirrors Kubernetes
 * services into the Consul catalog (one datacenter per cloud) for workloads outside the clusters.
 * Istio stays the data plane: Consul's Connect injection is off, so a pod never gets two sidecars.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export class ConsulCatalog extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    new PinnedChart(this, "chart", {
      source: CHARTS.consul,
      namespace: "consul",
      provider: ctx.helm,
      values: {
        global: { name: "consul", datacenter: `${ctx.env.name}-${ctx.cloud}`, tls: { enabled: true, verify: true }, acls: { manageSystemACLs: true }, gossipEncryption: { autoGenerate: true } },
        server: { replicas: ctx.production ? 3 : 1 },
        connectInject: { enabled: false },
        syncCatalog: { enabled: true, toConsul: true, toK8S: false, default: true },
        ui: { enabled: true, service: { type: "ClusterIP" } },
      },
    });
  }
}
