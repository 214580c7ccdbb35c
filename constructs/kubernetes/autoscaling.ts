/**
 * Autoscaling where the cloud does not provide it: the cluster-autoscaler on EKS (GKE, AKS and
 * DOKS scale node pools themselves), metrics-server where the cluster lacks it (EKS, DOKS), and the
 * Vertical Pod Autoscaler (GKE has its own, switched on in the cluster stack) beside the HPA.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export class Autoscaling extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    if (ctx.cloud === "aws") {
      new PinnedChart(this, "cluster-autoscaler", {
        source: CHARTS.clusterAutoscaler,
        namespace: "kube-system",
        createNamespace: false,
        provider: ctx.helm,
        values: {
          cloudProvider: "aws",
          awsRegion: ctx.region,
          autoDiscovery: { clusterName: ctx.clusterName },
          rbac: {
            serviceAccount: {
              name: "cluster-autoscaler",
              annotations: ctx.identity.serviceAccountAnnotations("cluster-autoscaler", "kube-system", "cluster-autoscaler"),
            },
          },
          extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
        },
      });
    }
    if (ctx.cloud === "aws" || ctx.cloud === "digitalocean") {
      new PinnedChart(this, "metrics-server", {
        source: CHARTS.metricsServer,
        namespace: "kube-system",
        createNamespace: false,
        provider: ctx.helm,
        values: { replicas: ctx.production ? 2 : 1 },
      });
    }
    if (ctx.cloud !== "gcp") {
      new PinnedChart(this, "vpa", {
        source: CHARTS.vpa,
        namespace: "vpa",
        provider: ctx.helm,
        values: { recommender: { enabled: true }, updater: { enabled: true }, admissionController: { enabled: true } },
      });
    }
  }
}
