/**
 * How a platform stack reaches its cluster: the cluster contract read over remote state, and exec
 * credentials from each cloud's CLI at plan/apply time, so no token or kubeconfig is ever written to
 * the synthesized files or the state.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AzureWorkloadIdentity } from "../../constructs/azure/workload-identity";
import { azureProvider } from "../../constructs/azure/provider";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Construct } from "constructs";
import { AwsWorkloadIdentity } from "../../constructs/aws/workload-identity";
import { GcpWorkloadIdentity } from "../../constructs/gcp/workload-identity";
import type { WorkloadIdentity } from "../../constructs/kubernetes/platform-context";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import { AwsClusterContract, AzureClusterContract, DigitalOceanClusterContract, GcpClusterContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { compactName } from "../../modules/naming";
import { eksClusterName } from "../aws";
import { gkeClusterName } from "../gcp";

/** An exec credential plugin invocation (client.authentication.k8s.io/v1beta1). */
export interface ExecCredential {
  readonly apiVersion: string;
  readonly command: string;
  readonly args: string[];
}

/** What the platform stack needs to talk to one cluster. */
export interface ClusterConnection {
  readonly clusterName: string;
  readonly endpoint: string;
  /** Base64-encoded PEM CA of the API server. */
  readonly caCertificate: string;
  readonly region: string;
  /** The cluster's VPC id, where the cloud's controllers need it. */
  readonly vpcId?: string;
  readonly exec: ExecCredential;
  readonly identity: WorkloadIdentity;
}

const V1BETA1 = "client.authentication.k8s.io/v1beta1";
/** The Entra ID application every AKS cluster's API server accepts tokens for. */
export const AKS_AAD_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";

/** A cloud without workload identity for the add-ons (yet): no annotations, no KMS seal. */
class NoCloudIdentity implements WorkloadIdentity {
  serviceAccountAnnotations(): Record<string, string> {
    return {};
  }
  podLabels(): Record<string, string> {
    return {};
  }
  vaultSeal(): undefined {
    return undefined;
  }
}

export function connectCluster(stack: LayerStack, env: EnvironmentConfig, cloud: KubernetesCloud, clusterStack: LayerStack): ClusterConnection {
  switch (cloud) {
    case "aws": {
      const aws = env.clouds.aws!;
      new AwsProvider(stack, "aws", { region: aws.region, allowedAccountIds: [aws.accountId] });
      const c = stack.read(AwsClusterContract, clusterStack);
      return {
        clusterName: c.cluster_name,
        endpoint: c.cluster_endpoint,
        caCertificate: c.cluster_ca_certificate,
        region: aws.region,
        vpcId: c.vpc_id,
        exec: { apiVersion: V1BETA1, command: "aws", args: ["eks", "get-token", "--cluster-name", c.cluster_name, "--region", aws.region, "--output", "json"] },
        identity: new AwsWorkloadIdentity(stack as Construct, "workload-identity", {
          // A literal name, the one the cluster stack uses: the autoscaler's policy puts it in a
          // condition key (aws:ResourceTag/k8s.io/cluster-autoscaler/<cluster>), where a token is
          // not interpolated (its key stays the reference's text and its value becomes undefined).
          clusterName: eksClusterName(env),
          accountId: aws.accountId,
          region: aws.region,
          oidcProviderArn: c.oidc_provider_arn,
          oidcIssuerUrl: c.oidc_issuer_url,
          nodeSecurityGroupIds: [c.node_security_group_id, c.cluster_security_group_id],
          preventDestroy: stack.production,
        }),
      };
    }
    case "gcp": {
      const gcp = env.clouds.gcp!;
      new GoogleProvider(stack, "google", { project: gcp.projectId, region: gcp.region });
      const c = stack.read(GcpClusterContract, clusterStack);
      return {
        clusterName: c.cluster_name,
        endpoint: c.cluster_endpoint,
        caCertificate: c.cluster_ca_certificate,
        region: gcp.region,
        exec: { apiVersion: V1BETA1, command: "gke-gcloud-auth-plugin", args: [] },
        identity: new GcpWorkloadIdentity(stack, "workload-identity", {
          // A literal name: Google service account ids are cut from it, which a token cannot be.
          clusterName: gkeClusterName(env),
          projectId: gcp.projectId,
          region: gcp.region,
          workloadPool: c.workload_identity_pool,
        }),
      };
    }
    case "azure": {
      const azure = env.clouds.azure!;
      azureProvider(stack, azure);
      const c = stack.read(AzureClusterContract, clusterStack);
      return {
        clusterName: c.cluster_name,
        endpoint: c.cluster_endpoint,
        caCertificate: c.cluster_ca_certificate,
        region: azure.location,
        exec: { apiVersion: V1BETA1, command: "kubelogin", args: ["get-token", "--login", "azurecli", "--server-id", AKS_AAD_SERVER_APP_ID] },
        identity: new AzureWorkloadIdentity(stack, "workload-identity", {
          clusterName: c.cluster_name,
          resourceGroupName: c.resource_group_name,
          location: azure.location,
          tenantId: c.tenant_id,
          oidcIssuerUrl: c.oidc_issuer_url,
          egressIp: c.egress_ip,
          unsealVaultAccess:
            azure.keyVaultAccess === "allowlist"
              ? { allowedIps: azure.deployAllowlist }
              : { privateEndpoint: { subnetId: c.endpoints_subnet_id, dnsZoneId: c.vault_dns_zone_id } },
          unsealVaultName: compactName(env, ["unseal"], 24),
          preventDestroy: stack.production,
        }),
      };
    }
    case "digitalocean": {
      const c = stack.read(DigitalOceanClusterContract, clusterStack);
      return {
        clusterName: c.cluster_name,
        endpoint: c.cluster_endpoint,
        caCertificate: c.cluster_ca_certificate,
        region: env.clouds.digitalocean!.region,
        exec: { apiVersion: V1BETA1, command: "doctl", args: ["kubernetes", "cluster", "kubeconfig", "exec-credential", "--version=v1beta1", c.cluster_id] },
        identity: new NoCloudIdentity(),
      };
    }
  }
}
