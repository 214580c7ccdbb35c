/**
 * What every add-on construct of the catalogue receives: the target cluster's providers, the
 * environment, the cloud-specific workload identity and the central observability hub.
 * The platform stack (stacks/platform) builds it; add-on constructs only consume it.
 */
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { Release } from "@cdktf/provider-helm/lib/release";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { AddonName } from "../../modules/config/clouds/platform";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";

/** Add-ons that call their cloud's APIs and so need a workload identity. */
export type CloudRole =
  | "cluster-autoscaler"
  | "karpenter"
  | "aws-load-balancer-controller"
  | "vault-unseal"
  | "log-shipper"
  | "metrics-shipper"
  | "cert-manager-dns01"
  /** Reads the cloud's monitoring API (the Stackdriver exporter on GKE: replication lag). */
  | "monitoring-reader";

/** Vault's seal stanza for auto-unseal with the cloud's KMS (rendered into Vault's HCL config). */
export type VaultSeal =
  | { readonly type: "awskms"; readonly region: string; readonly kmsKeyId: string }
  | { readonly type: "gcpckms"; readonly project: string; readonly region: string; readonly keyRing: string; readonly cryptoKey: string }
  | { readonly type: "azurekeyvault"; readonly tenantId: string; readonly vaultName: string; readonly keyName: string };

/**
 * Binds Kubernetes service accounts to cloud identities (IRSA on EKS, Workload Identity on GKE,
 * federated credentials on AKS). Implemented once per cloud.
 */
export interface WorkloadIdentity {
  /** Annotations/labels to put on the service account `namespace/name` so it acts as `role`. */
  serviceAccountAnnotations(role: CloudRole, namespace: string, name: string): Record<string, string>;
  /** Pod labels the identity needs (AKS workload identity wants `azure.workload.identity/use`). */
  podLabels(role: CloudRole): Record<string, string>;
  /** The seal stanza for Vault auto-unseal, or undefined where the cloud has no KMS (DigitalOcean). */
  vaultSeal(): VaultSeal | undefined;
}

/**
 * Where every cluster ships its telemetry (the primary cluster's hub by default). The endpoints are
 * mesh-internal service names: Istio's DNS proxy resolves them in every cluster and the east-west
 * gateways carry the traffic with mutual TLS, so nothing is exposed to the internet.
 */
export interface ObservabilityHub {
  /** True on the cluster that hosts the hub. */
  readonly isHub: boolean;
  /** The cloud whose cluster hosts the hub. */
  readonly hubCloud: KubernetesCloud;
  /** Prometheus remote-write URLs of the hub, one per hub Prometheus replica (each must get every series). */
  readonly metricsRemoteWriteUrls: readonly string[];
  /** Loki push host and port of the hub. */
  readonly logsHost: string;
  readonly logsPort: number;
  /** OTLP (gRPC) traces endpoint of the hub's Jaeger collector, host:port. */
  readonly tracesEndpoint: string;
}

export interface PlatformContext {
  readonly env: EnvironmentConfig;
  readonly cloud: KubernetesCloud;
  readonly production: boolean;
  readonly helm: HelmProvider;
  readonly kubernetes: KubernetesProvider;
  /** Cluster name (a token read from the cluster contract). */
  readonly clusterName: string;
  /** Cloud region/location of the cluster. */
  readonly region: string;
  /** The cluster's VPC, where a controller needs it (the AWS Load Balancer Controller). */
  readonly vpcId?: string;
  readonly identity: WorkloadIdentity;
  readonly hub: ObservabilityHub;
  /** Istio cluster name of this cluster (distinct per cluster). */
  readonly meshClusterName: string;
  /** Istio network name of this cluster (one network per cloud). */
  readonly meshNetwork: string;
  /**
   * istiod, when Istio is on: its webhook injects the sidecars, so releases installing into an
   * injected namespace depend on it (set by the catalogue once the mesh exists).
   */
  readonly meshInjector?: Release;
  /** cert-manager, when on: releases whose Certificates or Issuers it serves depend on it (set by the catalogue). */
  readonly certManager?: Release;
  /** Whether the add-on `name` is enabled for this environment and cloud (from config). */
  isEnabled(name: AddonName): boolean;
}
