/**
 * AKS workload identity for the platform add-ons: each add-on that calls Azure APIs gets its own
 * user-assigned identity, trusted only for its Kubernetes service account through a federated
 * credential on the cluster's OIDC issuer, with only the roles it needs. Made on first use.
 * Vault's unseal key is an HSM key in a Key Vault of its own, reachable through a private endpoint
 * in the VNet (Vault's pods and an in-VNet runner resolve it through the VNet's private DNS zone)
 * or, where the deploy runs from the allowlist, from the cluster's egress address and those networks.
 */
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Construct } from "constructs";
import type { CloudRole, VaultSeal, WorkloadIdentity } from "../kubernetes/platform-context";
import { SecureKeyVault } from "./key-vault";

/** Properties for {@link AzureWorkloadIdentity}. */
export interface AzureWorkloadIdentityProps {
  readonly clusterName: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly oidcIssuerUrl: string;
  /** Public egress address of the cluster (the NAT gateway), admitted by the unseal Key Vault. */
  readonly egressIp: string;
  /**
   * How the unseal Key Vault is reached: through a private endpoint in this subnet and DNS zone
   * (public access off), or on its public endpoint by the cluster's egress and these deploy networks.
   */
  readonly unsealVaultAccess: { readonly privateEndpoint: { readonly subnetId: string; readonly dnsZoneId: string } } | { readonly allowedIps: readonly string[] };
  /** 3-24 characters, globally unique. */
  readonly unsealVaultName: string;
  /** @default false */
  readonly preventDestroy?: boolean;
}

const UNSEAL_KEY = "vault-unseal";

export class AzureWorkloadIdentity extends Construct implements WorkloadIdentity {
  private readonly identities = new Map<string, UserAssignedIdentity>();
  private unseal?: { vault: SecureKeyVault; key: KeyVaultKey };

  constructor(scope: Construct, id: string, private readonly props: AzureWorkloadIdentityProps) {
    super(scope, id);
  }

  serviceAccountAnnotations(role: CloudRole, namespace: string, name: string): Record<string, string> {
    return { "azure.workload.identity/client-id": this.identityFor(role, namespace, name).clientId };
  }

  podLabels(): Record<string, string> {
    return { "azure.workload.identity/use": "true" };
  }

  vaultSeal(): VaultSeal {
    this.unsealKey();
    return { type: "azurekeyvault", tenantId: this.props.tenantId, vaultName: this.props.unsealVaultName, keyName: UNSEAL_KEY };
  }

  private unsealKey(): { vault: SecureKeyVault; key: KeyVaultKey } {
    if (this.unseal) return this.unseal;
    const p = this.props;
    const vault = new SecureKeyVault(this, "unseal", {
      name: p.unsealVaultName,
      resourceGroupName: p.resourceGroupName,
      location: p.location,
      tenantId: p.tenantId,
      ...("privateEndpoint" in p.unsealVaultAccess
        ? { allowedIps: [], privateEndpoint: p.unsealVaultAccess.privateEndpoint }
        : { allowedIps: [p.egressIp, ...p.unsealVaultAccess.allowedIps] }),
      preventDestroy: p.preventDestroy,
    });
    this.unseal = { vault, key: vault.wrappingKey("unseal-key", UNSEAL_KEY) };
    return this.unseal;
  }

  private identityFor(role: CloudRole, namespace: string, name: string): UserAssignedIdentity {
    const key = `${role}/${namespace}/${name}`;
    let identity = this.identities.get(key);
    if (identity) return identity;
    const p = this.props;
    identity = new UserAssignedIdentity(this, role, {
      name: `${p.clusterName}-${role}`,
      resourceGroupName: p.resourceGroupName,
      location: p.location,
    });
    new FederatedIdentityCredential(this, `${role}-federation`, {
      name: `${namespace}-${name}`,
      resourceGroupName: p.resourceGroupName,
      parentId: identity.id,
      issuer: p.oidcIssuerUrl,
      subject: `system:serviceaccount:${namespace}:${name}`,
      audience: ["api://AzureADTokenExchange"],
    });
    switch (role) {
      case "vault-unseal": {
        const { key: unsealKey } = this.unsealKey();
        new RoleAssignment(this, `${role}-key-user`, {
          scope: unsealKey.resourceVersionlessId,
          roleDefinitionName: "Key Vault Crypto User",
          principalId: identity.principalId,
          principalType: "ServicePrincipal",
          description: `Vault on ${p.clusterName} wraps and unwraps its root key`,
        });
        break;
      }
      default:
        throw new Error(`AzureWorkloadIdentity: no Azure roles are defined for '${role}'`);
    }
    this.identities.set(key, identity);
    return identity;
  }
}
