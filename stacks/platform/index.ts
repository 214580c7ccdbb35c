/**
 * `<env>-<cloud>-platform`: the add-on catalogue on one cluster, through helm and kubernetes
 * providers configured from the cluster contract with exec credentials. Publishes the cluster's
 * public entry point (the Istio ingress gateway's load balancer) for the Cloudflare edge.
 */
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { DataKubernetesServiceV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { AddonCatalogue } from "../../constructs/kubernetes/catalogue";
import { INGRESS_NAMESPACE, INGRESS_SERVICE } from "../../constructs/kubernetes/istio";
import { hubEndpoints, prometheusReplicas } from "../../constructs/kubernetes/observability";
import type { PlatformContext } from "../../constructs/kubernetes/platform-context";
import { addonEnabled } from "../../modules/config/clouds/platform";
import { EnvironmentConfig, KubernetesCloud, enabledClouds } from "../../modules/config/environment";
import { PlatformContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { meshClusterName } from "../../modules/naming";
import { connectCluster } from "./connect";
import { dataCopyAlerts, dataJobs } from "./data-jobs";

export { meshClusterName } from "../../modules/naming";

/**
 * @param dataStack the same cloud's data stack, read only by the data jobs that need it (the
 *   PostgreSQL refresh of the backup cloud)
 */
export function buildPlatformStack(scope: Construct, env: EnvironmentConfig, cloud: KubernetesCloud, clusterStack: LayerStack, dataStack?: LayerStack): LayerStack | undefined {
  const stack = new LayerStack(scope, { env, cloud, layer: "platform" });
  const cluster = connectCluster(stack, env, cloud, clusterStack);
  const kubernetesAccess = {
    host: cluster.endpoint,
    clusterCaCertificate: Fn.base64decode(cluster.caCertificate),
  };
  const helm = new HelmProvider(stack, "helm", { kubernetes: { ...kubernetesAccess, exec: cluster.exec } });
  const kubernetes = new KubernetesProvider(stack, "kubernetes", { ...kubernetesAccess, exec: [cluster.exec] });
  const hubCloud = env.platform.hubCloud ?? enabledClouds(env)[0];
  const ctx: PlatformContext = {
    env,
    cloud,
    production: stack.production,
    helm,
    kubernetes,
    clusterName: cluster.clusterName,
    region: cluster.region,
    vpcId: cluster.vpcId,
    identity: cluster.identity,
    hub: hubEndpoints(hubCloud, hubCloud === cloud, prometheusReplicas(stack.production)),
    meshClusterName: meshClusterName(env, cloud),
    meshNetwork: `network-${cloud}`,
    isEnabled: (addon) => addonEnabled(env.platform, cloud, addon),
  };
  const catalogue = new AddonCatalogue(stack, "addons", ctx, env.platform);
  if (dataStack) dataJobs(stack, ctx, dataStack, catalogue.monitoring?.release);
  dataCopyAlerts(stack, ctx, catalogue.monitoring?.release);

  // AWS load balancers have DNS names, the others IP addresses.
  const addressType = cloud === "aws" ? "hostname" : "ip";
  let address = "";
  if (catalogue.mesh) {
    const ingress = new DataKubernetesServiceV1(stack, "ingress-service", {
      provider: kubernetes,
      metadata: { name: INGRESS_SERVICE, namespace: INGRESS_NAMESPACE },
      dependsOn: [catalogue.mesh.ingressGateway],
    });
    const lb = ingress.status.get(0).loadBalancer.get(0).ingress.get(0);
    address = addressType === "hostname" ? lb.hostname : lb.ip;
  }
  stack.publish(PlatformContract, {
    ingress_address: address,
    ingress_address_type: addressType,
    mesh_cluster_name: ctx.meshClusterName,
  });
  return stack;
}
