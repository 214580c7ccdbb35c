/**
 * What every add-on construct of the catalogue receives: the target cluster's providers, the
 * environment, the cloud-specific workload identity and the central observability hub.
 * The platform stack (stacks/platform) builds it; add-on constructs only consume it.
 */
import type { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";

/** Add-ons that call their cloud's APIs and so need a workload identity. */
export type CloudRole =
  | "cluster-autoscaler"
  | "karpenter"
  | "aws-load-balancer-controller"
  | "vault-unseal"
  | "log-shipper"
  | "metrics-shipper"
  | "cert-manager-dns01";

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

/** Where every cluster ships its telemetry (the primary cluster's hub by default). */
export interface ObservabilityHub {
  /** True on the cluster that hosts the hub. */
  readonly isHub: boolean;
  /** Prometheus remote-write URL of the hub (https). */
  readonly metricsRemoteWriteUrl: string;
  /** Log ingestion endpoint of the hub (https). */
  readonly logsEndpoint: string;
  /** OTLP traces endpoint of the hub (https). */
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
  readonly identity: WorkloadIdentity;
  readonly hub: ObservabilityHub;
  /** Whether the add-on `name` is enabled for this environment and cloud (from config). */
  isEnabled(name: string): boolean;
}
