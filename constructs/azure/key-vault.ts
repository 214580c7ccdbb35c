/**
 * A Key Vault with the platform's defaults: premium (HSM-backed keys), RBAC authorization, purge
 * protection, 90-day soft delete, firewall denying by default (public network access only for the
 * listed addresses), optionally a private endpoint. The deploying identity gets Key Vault Secrets
 * Officer or Crypto Officer only when the stack writes a secret or creates a key.
 *
 * Keys and secrets are data-plane calls Terraform makes to the vault itself, so each needs a path
 * there: the private endpoint (Terraform inside the VNet; the key or secret waits for the endpoint
 * and its DNS record) or public access for the listed addresses. A vault with neither is refused.
 */
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ephemeralPassword } from "../../modules/ephemeral";
import { privateEndpoint } from "./private-endpoint";

/**
 * A customer-managed key as storage and Cosmos DB take it: the key, the user-assigned identity the
 * service presents, and the role assignment that lets that identity use the key. Azure checks the
 * key at create time, so the encrypted resource must be created after `grant`.
 */
export interface CustomerManagedKey {
  /** Versionless id of the Key Vault key. */
  readonly keyVaultKeyId: string;
  readonly identityId: string;
  /** The identity's role on the vault's keys; the encrypted resource depends on it. */
  readonly grant: ITerraformDependable;
}

/** Properties for {@link SecureKeyVault}. */
export interface SecureKeyVaultProps {
  /** 3-24 characters, globally unique. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  /** Public addresses admitted by the firewall. Empty: no public network access at all. */
  readonly allowedIps: readonly string[];
  /** Let trusted Azure services (storage and Cosmos DB using a customer-managed key) through the firewall. @default false */
  readonly trustedServices?: boolean;
  /** A private endpoint in this subnet, registered in this private DNS zone. @default none */
  readonly privateEndpoint?: { readonly subnetId: string; readonly dnsZoneId: string };
  /** Refuse to destroy the vault and its keys. @default false */
  readonly preventDestroy?: boolean;
}

/**
 * How Terraform reaches a vault's data plane under `clouds.azure.keyVaultAccess`: always through a
 * private endpoint in `endpoint`, and from the deploy allowlist on the public endpoint only in
 * `allowlist` mode (public access stays off otherwise).
 */
export function deployVaultAccess(
  azure: { readonly keyVaultAccess: "private-endpoint" | "allowlist"; readonly deployAllowlist: readonly string[] },
  endpoint: { readonly subnetId: string; readonly dnsZoneId: string },
): Pick<SecureKeyVaultProps, "allowedIps" | "privateEndpoint"> {
  return { allowedIps: azure.keyVaultAccess === "allowlist" ? azure.deployAllowlist : [], privateEndpoint: endpoint };
}

export class SecureKeyVault extends Construct {
  readonly vault: KeyVault;
  private readonly props: SecureKeyVaultProps;
  private client?: DataAzurermClientConfig;
  private readonly deployerRoles = new Map<string, RoleAssignment>();
  /** The private endpoint with its DNS zone group (the A record), when the vault has one. */
  readonly endpoint?: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: SecureKeyVaultProps) {
    super(scope, id);
    this.props = props;
    if (props.allowedIps.length === 0 && !props.privateEndpoint) {
      throw new Error(
        `SecureKeyVault '${props.name}': with no 'allowedIps' public network access is off, so Terraform reaches the vault's keys and secrets only through a private endpoint; give 'privateEndpoint' or 'allowedIps'`,
      );
    }
    this.vault = new KeyVault(this, "vault", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: "premium",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: props.allowedIps.length > 0,
      networkAcls: { defaultAction: "Deny", bypass: props.trustedServices ? "AzureServices" : "None", ipRules: [...props.allowedIps] },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    if (props.privateEndpoint) {
      this.endpoint = privateEndpoint(this, "endpoint", {
        name: `${props.name}-pe`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        subnetId: props.privateEndpoint.subnetId,
        resourceId: this.vault.id,
        subresource: "vault",
        dnsZoneId: props.privateEndpoint.dnsZoneId,
      });
    }
  }

  /** An HSM-backed RSA key for wrapping other keys, rotated yearly. */
  wrappingKey(id: string, name: string): KeyVaultKey {
    return new KeyVaultKey(this, id, {
      name,
      keyVaultId: this.vault.id,
      keyType: "RSA-HSM",
      keySize: 3072,
      keyOpts: ["wrapKey", "unwrapKey"],
      rotationPolicy: { expireAfter: "P2Y", notifyBeforeExpiry: "P30D", automatic: { timeAfterCreation: "P1Y" } },
      dependsOn: this.dataPlanePath(this.deployerRole("Key Vault Crypto Officer", "creates the vault's keys")),
      lifecycle: this.props.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }

  /**
   * A user-assigned identity that Azure services (storage, Cosmos DB) present to use `key` for
   * customer-managed encryption, with its role on the vault's keys.
   */
  customerManagedKey(id: string, name: string, key: KeyVaultKey): CustomerManagedKey {
    const identity = new UserAssignedIdentity(this, id, { name, resourceGroupName: this.props.resourceGroupName, location: this.props.location });
    const grant = new RoleAssignment(this, `${id}-key-user`, {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      description: "Services wrap and unwrap their data keys with this vault's keys",
    });
    return { keyVaultKeyId: key.versionlessId, identityId: identity.id, grant };
  }

  /**
   * Generates a password into the vault through `value_wo`, so it is in neither plan nor state.
   * `value` is ephemeral: only for a write-only argument (`*_wo`, with `*_wo_version` set to
   * `version`) of the resource that needs it. Raising `version` writes a new password everywhere.
   */
  generatedPassword(id: string, secretName: string, version = 1): { secret: KeyVaultSecret; value: string; version: number } {
    const value = ephemeralPassword(new Construct(this, `${id}-password`));
    const secret = new KeyVaultSecret(this, `${id}-secret`, {
      name: secretName,
      keyVaultId: this.vault.id,
      valueWo: value,
      valueWoVersion: version,
      contentType: "password",
      dependsOn: this.dataPlanePath(this.deployerRole("Key Vault Secrets Officer", "writes the generated passwords")),
    });
    return { secret, value, version };
  }

  /**
   * Copies a secret of another cloud into the vault through the write-only `value_wo`: `value` is
   * ephemeral (e.g. {@link ephemeralSecretsManagerValue}), so neither plan nor state holds it. The
   * copy is rewritten when `version` changes: pass the source's own version (its producer raises
   * it on rotation), so a rotated source reaches the copy on the next apply.
   */
  copiedSecret(id: string, secretName: string, value: string, version: number): KeyVaultSecret {
    return new KeyVaultSecret(this, `${id}-secret`, {
      name: secretName,
      keyVaultId: this.vault.id,
      valueWo: value,
      valueWoVersion: version,
      contentType: "password",
      dependsOn: this.dataPlanePath(this.deployerRole("Key Vault Secrets Officer", "writes the generated passwords")),
    });
  }

  /**
   * Keeps a value made elsewhere (e.g. a credential another cloud generated) in the vault.
   * `value` is a reference, never a literal.
   */
  storedSecret(id: string, secretName: string, value: string): KeyVaultSecret {
    return new KeyVaultSecret(this, `${id}-secret`, {
      name: secretName,
      keyVaultId: this.vault.id,
      value,
      contentType: "password",
      dependsOn: this.dataPlanePath(this.deployerRole("Key Vault Secrets Officer", "writes the generated passwords")),
    });
  }

  /** What a data-plane call waits for: the deployer's role and, where there is one, the private endpoint. */
  private dataPlanePath(role: RoleAssignment): ITerraformDependable[] {
    return this.endpoint ? [role, this.endpoint] : [role];
  }

  /** The deploying identity's data-plane role on this vault, made once on first need. */
  private deployerRole(role: string, purpose: string): RoleAssignment {
    let assignment = this.deployerRoles.get(role);
    if (!assignment) {
      this.client ??= new DataAzurermClientConfig(this, "client", {});
      assignment = new RoleAssignment(this, `deployer-${role.toLowerCase().replace(/^key vault /, "").replace(/ /g, "-")}`, {
        scope: this.vault.id,
        roleDefinitionName: role,
        principalId: this.client.objectId,
        description: `The identity that deploys this stack ${purpose}`,
      });
      this.deployerRoles.set(role, assignment);
    }
    return assignment;
  }
}
