/**
 * Istio as the cross-cluster mesh (multi-primary, multi-network): one mesh id and trust domain on
 * every cluster, a distinct cluster name, one network per cloud, an east-west gateway that carries
 * cross-network traffic with mTLS (AUTO_PASSTHROUGH), an ingress gateway for public traffic, strict
 * mutual TLS mesh-wide, and DNS proxying so services of other clusters resolve.
 *
 * Root of trust: istiod signs workload certificates with the intermediate CA in the `cacerts`
 * secret of `istio-system` when it exists. Every cluster gets its own intermediate, signed by one
 * offline root; the secret is created out of band (docs/platform.md, "Mesh root of trust"), so no CA private
 * key ever enters Terraform state.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS, ISTIO_HUB, ISTIO_VERSION } from "./charts";
import { CONTROLLER_NLB_ANNOTATIONS } from "./load-balancer-controller";
import { ManifestBundle } from "./manifest-bundle";
import { platformNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export const INGRESS_NAMESPACE = "istio-ingress";
export const INGRESS_SERVICE = "istio-ingressgateway";

/**
 * The images istiod's injector adds to every pod of an injected namespace: the `istio-proxy`
 * sidecar and the `istio-init` init container both run `proxyv2` (`global.proxy.image`,
 * `global.proxy_init.image`) from `global.hub` at `global.tag`, which istiod's values set explicitly.
 */
export const INJECTED_IMAGES: readonly string[] = [`${ISTIO_HUB}/proxyv2:${ISTIO_VERSION}`];

/**
 * Service annotations that make each cloud's load balancer public and fast to fail over. On EKS the
 * AWS Load Balancer Controller makes the NLB when it is installed, else the in-tree provider.
 */
function publicLoadBalancerAnnotations(cloud: PlatformContext["cloud"], awsController: boolean): Record<string, string> {
  switch (cloud) {
    case "aws":
      return awsController
        ? { ...CONTROLLER_NLB_ANNOTATIONS }
        : {
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
            "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true",
          };
    case "azure":
      return { "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz/ready" };
    case "digitalocean":
      return { "service.beta.kubernetes.io/do-loadbalancer-healthcheck-path": "/healthz/ready", "service.beta.kubernetes.io/do-loadbalancer-healthcheck-port": "15021", "service.beta.kubernetes.io/do-loadbalancer-healthcheck-protocol": "http" };
    default:
      return {};
  }
}

/**
 * Annotations of an internal load balancer for the east-west gateway, for clusters whose every
 * mesh peer is reached over a private cross-cloud link: the mesh's traffic then stays on the link.
 */
function internalLoadBalancerAnnotations(cloud: PlatformContext["cloud"], awsController: boolean): Record<string, string> {
  switch (cloud) {
    case "aws":
      return awsController
        ? { ...CONTROLLER_NLB_ANNOTATIONS, "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }
        : { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb", "service.beta.kubernetes.io/aws-load-balancer-internal": "true" };
    case "gcp":
      // Reachable from every region of the VPC, and so from the Cloud Router's links.
      return { "networking.gke.io/load-balancer-type": "Internal", "networking.gke.io/internal-load-balancer-allow-global-access": "true" };
    case "azure":
      return { ...publicLoadBalancerAnnotations(cloud, awsController), "service.beta.kubernetes.io/azure-load-balancer-internal": "true" };
    default:
      return publicLoadBalancerAnnotations(cloud, awsController);
  }
}

/** Properties for {@link IstioMesh}. */
export interface IstioMeshProps {
  readonly meshId: string;
  readonly trustDomain: string;
  /** The AWS Load Balancer Controller, when installed: the gateways' NLBs wait for it. */
  readonly loadBalancerController?: Release;
  /**
   * Where the east-west gateway listens: `internal` when every other cluster of the mesh is
   * reached over a private link (docs/cross-cloud-network.md), else on the internet with mTLS.
   * @default "public"
   */
  readonly eastWestLoadBalancer?: "public" | "internal";
}

export class IstioMesh extends Construct {
  readonly istiod: Release;
  readonly ingressGateway: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: IstioMeshProps) {
    super(scope, id);
    const network = { "topology.istio.io/network": ctx.meshNetwork };
    const systemNs = platformNamespace(this, ctx, "istio-system", network);
    const ingressNs = platformNamespace(this, ctx, INGRESS_NAMESPACE, network);
    const base = new PinnedChart(this, "base", {
      source: CHARTS.istioBase,
      releaseName: "istio-base",
      namespace: "istio-system",
      createNamespace: false,
      provider: ctx.helm,
      values: { defaultRevision: "default" },
      dependsOn: [systemNs],
    });
    const replicas = ctx.production ? 2 : 1;
    this.istiod = new PinnedChart(this, "istiod", {
      source: CHARTS.istiod,
      namespace: "istio-system",
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [base.release],
      values: {
        global: {
          hub: ISTIO_HUB,
          tag: ISTIO_VERSION,
          meshID: props.meshId,
          multiCluster: { enabled: true, clusterName: ctx.meshClusterName },
          network: ctx.meshNetwork,
        },
        meshConfig: {
          trustDomain: props.trustDomain,
          accessLogFile: "/dev/stdout",
          enableTracing: true,
          defaultConfig: {
            proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true", ISTIO_META_DNS_AUTO_ALLOCATE: "true" },
          },
        },
        pilot: { replicaCount: replicas, autoscaleMin: replicas, autoscaleEnabled: ctx.production },
      },
    }).release;

    const controller = props.loadBalancerController ? [props.loadBalancerController] : [];
    const lbAnnotations = publicLoadBalancerAnnotations(ctx.cloud, props.loadBalancerController !== undefined);
    const gatewayValues = (annotations: Record<string, string>, extra: Record<string, unknown> = {}) => ({
      autoscaling: { enabled: ctx.production, minReplicas: replicas, maxReplicas: ctx.production ? 6 : 1 },
      podDisruptionBudget: ctx.production ? { minAvailable: 1 } : undefined,
      service: { type: "LoadBalancer", annotations, ...extra },
    });
    this.ingressGateway = new PinnedChart(this, "ingress-gateway", {
      source: CHARTS.istioGateway,
      releaseName: INGRESS_SERVICE,
      namespace: INGRESS_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [this.istiod, ingressNs, ...controller],
      values: { ...gatewayValues(lbAnnotations), labels: { istio: "ingressgateway" } },
    }).release;

    const eastWest = new PinnedChart(this, "east-west-gateway", {
      source: CHARTS.istioGateway,
      releaseName: "istio-eastwestgateway",
      namespace: "istio-system",
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [this.istiod, ...controller],
      values: {
        ...gatewayValues(props.eastWestLoadBalancer === "internal" ? internalLoadBalancerAnnotations(ctx.cloud, props.loadBalancerController !== undefined) : lbAnnotations, {
          ports: [
            { name: "status-port", port: 15021, targetPort: 15021 },
            { name: "tls", port: 15443, targetPort: 15443 },
            { name: "tls-istiod", port: 15012, targetPort: 15012 },
            { name: "tls-webhook", port: 15017, targetPort: 15017 },
          ],
        }),
        labels: { istio: "eastwestgateway", app: "istio-eastwestgateway", ...network },
        env: { ISTIO_META_REQUESTED_NETWORK_VIEW: ctx.meshNetwork },
      },
    }).release;

    new ManifestBundle(this, "mesh-policy", {
      releaseName: "mesh-policy",
      namespace: "istio-system",
      provider: ctx.helm,
      dependsOn: [eastWest],
      manifests: [
        {
          apiVersion: "security.istio.io/v1",
          kind: "PeerAuthentication",
          metadata: { name: "default", namespace: "istio-system" },
          spec: { mtls: { mode: "STRICT" } },
        },
        {
          apiVersion: "networking.istio.io/v1",
          kind: "Gateway",
          metadata: { name: "cross-network-gateway", namespace: "istio-system" },
          spec: {
            selector: { istio: "eastwestgateway" },
            servers: [{ port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }],
          },
        },
      ],
    });
  }
}
