/**
 * A Key Vault for an environment's data secrets: RBAC authorization, purge protection, 90-day soft
 * delete, public network access only for an explicit allowlist (the deploy runner), a private
 * endpoint for everything else. The deploying identity gets Key Vault Secrets Officer and Crypto
 * Officer so it can write the generated passwords and create the encryption key; the services
 * that encrypt with that key use one user-assigned identity with Crypto Service Encryption User.
 */
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Password } from "@cdktf/provider-random/lib/password";
import { Construct } from "constructs";
import { privateEndpoint } from "./private-endpoint";

/** Properties for {@link DataKeyVault}. */
export interface DataKeyVaultProps {
  /** 3-24 characters, globally unique. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  readonly endpointSubnetId: string;
  readonly dnsZoneId: string;
  /** Public networks allowed besides the private endpoint. Empty: private endpoint only. */
  readonly allowedIps: readonly string[];
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class DataKeyVault extends Construct {
  readonly vault: KeyVault;
  /** HSM-backed RSA key, rotated yearly, for customer-managed encryption of the data services. */
  readonly encryptionKey: KeyVaultKey;
  /** The identity the data services present to Key Vault to use {@link encryptionKey}. */
  readonly encryptionIdentity: UserAssignedIdentity;
  private readonly writer: RoleAssignment;

  constructor(scope: Construct, id: string, props: DataKeyVaultProps) {
    super(scope, id);
    const client = new DataAzurermClientConfig(this, "client", {});
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
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [...props.allowedIps] },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.writer = new RoleAssignment(this, "deployer-secrets-officer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Secrets Officer",
      principalId: client.objectId,
      description: "The identity that deploys this stack writes the generated passwords",
    });
    const keyCreator = new RoleAssignment(this, "deployer-crypto-officer", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Officer",
      principalId: client.objectId,
      description: "The identity that deploys this stack creates the encryption key",
    });
    this.encryptionKey = new KeyVaultKey(this, "encryption-key", {
      name: "data-encryption",
      keyVaultId: this.vault.id,
      keyType: "RSA-HSM",
      keySize: 3072,
      keyOpts: ["wrapKey", "unwrapKey"],
      rotationPolicy: { expireAfter: "P2Y", notifyBeforeExpiry: "P30D", automatic: { timeAfterCreation: "P1Y" } },
      dependsOn: [keyCreator],
    });
    this.encryptionIdentity = new UserAssignedIdentity(this, "encryption-identity", {
      name: `${props.name}-encryption`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    new RoleAssignment(this, "encryption-identity-key-user", {
      scope: this.vault.id,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: this.encryptionIdentity.principalId,
      principalType: "ServicePrincipal",
      description: "Data services wrap and unwrap their data keys with the vault's encryption key",
    });
    privateEndpoint(this, "endpoint", {
      name: `${props.name}-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      resourceId: this.vault.id,
      subresource: "vault",
      dnsZoneId: props.dnsZoneId,
    });
  }

  /** Generates a password into the vault. `value` is for the resource that needs it, never an output. */
  generatedPassword(id: string, secretName: string): { secret: KeyVaultSecret; value: string } {
    const password = new Password(this, `${id}-password`, { length: 32, special: false });
    const secret = new KeyVaultSecret(this, `${id}-secret`, {
      name: secretName,
      keyVaultId: this.vault.id,
      value: password.result,
      contentType: "password",
      dependsOn: [this.writer],
    });
    return { secret, value: password.result };
  }
}
