/**
 * Installs the add-on catalogue on one cluster, each add-on only where config enables it for the
 * environment and cloud (`platform.addons`, `platform.cloudAddons.<cloud>`).
 */
import { Construct } from "constructs";
import type { PlatformConfig } from "../../modules/config/clouds/platform";
import { ApiGateway } from "./api-gateway";
import { ArgoCd } from "./argocd";
import { Autoscaling } from "./autoscaling";
import { CertManager } from "./cert-manager";
import { ConsulCatalog } from "./consul";
import { Falco } from "./falco";
import { Gatekeeper } from "./gatekeeper";
import { meshOverLinks } from "../../modules/interconnect";
import { INJECTED_IMAGES, IstioMesh } from "./istio";
import { LoadBalancerController } from "./load-balancer-controller";
import { ApplicationNamespaces } from "./network-policies";
import { meshNamespace } from "./namespace";
import { Logging, MONITORING_NAMESPACE, Monitoring, Tracing } from "./observability";
import type { PlatformContext } from "./platform-context";
import { PlatformRbac } from "./rbac";
import { inClusterRabbitMq } from "./rabbitmq";
import { Vault } from "./vault";

export class AddonCatalogue extends Construct {
  /** The mesh, when Istio is on (its ingress gateway is the cluster's public entry point). */
  readonly mesh?: IstioMesh;
  /** Prometheus and its CRDs, when the monitoring add-on is on. */
  readonly monitoring?: Monitoring;

  constructor(scope: Construct, id: string, clusterCtx: PlatformContext, platform: PlatformConfig) {
    super(scope, id);
    let ctx = clusterCtx;
    const on = (name: Parameters<PlatformContext["isEnabled"]>[0]) => ctx.isEnabled(name);
    const lbController = ctx.cloud === "aws" && on("aws-load-balancer-controller") ? new LoadBalancerController(this, "aws-load-balancer-controller", ctx) : undefined;
    if (on("istio")) {
      this.mesh = new IstioMesh(this, "istio", ctx, {
        meshId: platform.mesh.meshId,
        trustDomain: platform.mesh.trustDomain ?? ctx.env.domain,
        loadBalancerController: lbController?.release,
        eastWestLoadBalancer: meshOverLinks(ctx.env, ctx.cloud) ? "internal" : "public",
      });
      // From here on, releases into injected namespaces wait for the injector.
      ctx = { ...ctx, meshInjector: this.mesh.istiod };
    }
    if (on("cert-manager")) {
      const certManager = new CertManager(this, "cert-manager", ctx, { acmeEmail: platform.acmeEmail, dnsZone: ctx.env.cloudflare ? (ctx.env.cloudflare.parentZone ?? ctx.env.domain) : undefined });
      ctx = { ...ctx, certManager: certManager.release };
    }
    if (on("api-gateway")) new ApiGateway(this, "api-gateway", ctx);
    if (on("consul")) new ConsulCatalog(this, "consul", ctx);
    // `monitoring` holds the hub's Loki and Jaeger too, so it exists on the hub whenever any of them is on.
    const needsHubNamespace = on("monitoring") || (ctx.hub.isHub && (on("logging") || on("tracing")));
    const hubNamespace = needsHubNamespace ? meshNamespace(this, ctx, MONITORING_NAMESPACE) : undefined;
    const monitoring = on("monitoring") ? new Monitoring(this, "monitoring", ctx, { retention: platform.metricsRetention ?? (ctx.production ? "30d" : "7d"), namespace: hubNamespace! }) : undefined;
    this.monitoring = monitoring;
    if (on("logging")) new Logging(this, "logging", ctx, { hubNamespace });
    if (on("tracing")) new Tracing(this, "tracing", ctx, { hubNamespace });
    if (on("vault")) new Vault(this, "vault", ctx);
    if (on("falco")) new Falco(this, "falco", ctx);
    if (on("gatekeeper")) new Gatekeeper(this, "gatekeeper", ctx, { applicationNamespaces: platform.applicationNamespaces, allowedRegistries: platform.allowedRegistries, platformImages: this.mesh ? INJECTED_IMAGES : [] });
    if (on("autoscaling")) new Autoscaling(this, "autoscaling", ctx);
    const appNamespaces = on("network-policies") ? new ApplicationNamespaces(this, "application-namespaces", ctx, { namespaces: platform.applicationNamespaces }) : undefined;
    if (on("argocd")) {
      // After the application namespaces, which its applications sync into.
      new ArgoCd(this, "argocd", ctx, {
        ...platform.gitops,
        sso: platform.argocd.sso,
        applicationsNeed: [...(appNamespaces?.namespaces ?? []), ...(ctx.meshInjector ? [ctx.meshInjector] : [])],
      });
    }
    // RabbitMQ where config turns it on for this (non-AWS) cloud; AWS runs Amazon MQ (stacks/aws/messaging.ts).
    inClusterRabbitMq(this, ctx, { certManager: this.node.tryFindChild("cert-manager") as CertManager | undefined, monitoring });
    if (on("rbac")) new PlatformRbac(this, "rbac", ctx, { ...platform.rbac, applicationNamespaces: platform.applicationNamespaces });
  }
}
