/**
 * The AWS Load Balancer Controller on EKS: provisions the gateways' Network Load Balancers with IP
 * targets (straight to the gateway pods, health-checked on Istio's status port), under an IRSA
 * role limited to load balancers, target groups and security groups tagged as this cluster's.
 * It only handles Services annotated for it (the service mutator webhook is off).
 */
import type { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export const LOAD_BALANCER_CONTROLLER_ACCOUNT = "aws-load-balancer-controller";

/** Annotations for a public NLB made by the controller, with IP targets and cross-zone balancing. */
export const CONTROLLER_NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
  "service.beta.kubernetes.io/aws-load-balancer-type": "external",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
  "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
  "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
  "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
  "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
};

export class LoadBalancerController extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    if (ctx.cloud !== "aws") throw new Error("LoadBalancerController: only for EKS clusters");
    if (!ctx.vpcId) throw new Error("LoadBalancerController: the cluster's VPC id is required (pods cannot read instance metadata under IMDSv2 hop limit 1)");
    this.release = new PinnedChart(this, "controller", {
      source: CHARTS.awsLoadBalancerController,
      namespace: "kube-system",
      createNamespace: false,
      provider: ctx.helm,
      values: {
        clusterName: ctx.clusterName,
        region: ctx.region,
        vpcId: ctx.vpcId,
        replicaCount: ctx.production ? 2 : 1,
        enableServiceMutatorWebhook: false,
        serviceAccount: {
          create: true,
          name: LOAD_BALANCER_CONTROLLER_ACCOUNT,
          annotations: ctx.identity.serviceAccountAnnotations("aws-load-balancer-controller", "kube-system", LOAD_BALANCER_CONTROLLER_ACCOUNT),
        },
      },
    }).release;
  }
}
