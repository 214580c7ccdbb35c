/**
 * Autoscaling where the cloud does not provide it: the cluster-autoscaler on EKS (GKE, AKS and
 * DOKS scale node pools themselves), metrics-server where the cluster lacks it (EKS, DOKS), and the
 * Vertical Pod Autoscaler (GKE has its own, switched on in the cluster stack) beside the HPA.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

/**
 * The cluster-autoscaler release for each Kubernetes minor: its minor must match the cluster's
 * (the project supports only that pairing; it schedules with the scheduler code of its own minor),
 * for every EKS minor of `VERSION_TABLE.eks` (modules/config/versions.ts).
 * Newest patch tags of kubernetes/autoscaler (`cluster-autoscaler-1.34.5`, `cluster-autoscaler-1.35.2`);
 * chart 9.59.0 (`charts.ts`, appVersion 1.35.0) has a ClusterRole that covers what 1.35 and older
 * watch: `storage.k8s.io` csinodes (1.35's CSINode informer), `resource.k8s.io` resourceslices,
 * deviceclasses and resourceclaims (DRA), podtemplates, apps/deployments and the capacity-buffer
 * and provisioning-request CRDs.
 */
export const CLUSTER_AUTOSCALER_TAGS: Readonly<Record<string, string>> = {
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
};

/** The cluster-autoscaler image tag for a cluster at Kubernetes `minor` (e.g. `1.33`). */
export function clusterAutoscalerTag(minor: string): string {
  const tag = CLUSTER_AUTOSCALER_TAGS[minor];
  if (!tag) {
    throw new Error(`cluster-autoscaler: no release pinned for Kubernetes ${minor} (clouds.aws.cluster.kubernetesVersion); pinned: ${Object.keys(CLUSTER_AUTOSCALER_TAGS).join(", ")}`);
  }
  return tag;
}

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
          image: { tag: clusterAutoscalerTag(ctx.env.clouds.aws!.cluster.kubernetesVersion) },
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
