/**
 * A private-by-default storage account: HTTPS only, TLS 1.2, infrastructure (double) encryption,
 * no anonymous blob access, no shared keys (Entra ID only), blob versioning with soft delete for
 * blobs and containers, and one private container.
 */
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { Construct } from "constructs";
import { Netmask } from "netmask";
import type { CustomerManagedKey } from "./key-vault";

/** Properties for {@link SecureStorageAccount}. */
export interface SecureStorageAccountProps {
  /** 3-24 lowercase letters and digits, globally unique. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly containerName: string;
  /** @default "ZRS" */
  readonly replication?: "LRS" | "ZRS" | "GRS" | "GZRS" | "RAGZRS";
  /** Days deleted blobs and containers stay recoverable. @default 30 */
  readonly softDeleteDays?: number;
  /**
   * Reachable from public networks (still Entra ID only). Needed where Terraform runs outside the
   * VNet, e.g. for the state account. @default false
   */
  readonly publicNetworkAccess?: boolean;
  /** Public networks allowed when `publicNetworkAccess` is on. @default [] (any, authenticated) */
  readonly allowedIps?: readonly string[];
  /** Encrypt with this Key Vault key through its identity, after the identity's grant. @default Microsoft-managed keys */
  readonly customerManagedKey?: CustomerManagedKey;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class SecureStorageAccount extends Construct {
  readonly account: StorageAccount;
  readonly container: StorageContainer;

  constructor(scope: Construct, id: string, props: SecureStorageAccountProps) {
    super(scope, id);
    if (!/^[a-z0-9]{3,24}$/.test(props.name)) throw new Error(`SecureStorageAccount: '${props.name}' must be 3-24 lowercase letters and digits`);
    const softDeleteDays = props.softDeleteDays ?? 30;
    const publicAccess = props.publicNetworkAccess ?? false;
    this.account = new StorageAccount(this, "account", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountTier: "Standard",
      accountKind: "StorageV2",
      accountReplicationType: props.replication ?? "ZRS",
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: "TLS1_2",
      infrastructureEncryptionEnabled: true,
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
      networkRules: {
        defaultAction: publicAccess && (props.allowedIps ?? []).length === 0 ? "Allow" : "Deny",
        bypass: ["AzureServices"],
        ipRules: publicAccess ? storageIpRules(props.allowedIps ?? []) : [],
      },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: true,
        deleteRetentionPolicy: { days: softDeleteDays },
        containerDeleteRetentionPolicy: { days: softDeleteDays },
      },
      identity: props.customerManagedKey ? { type: "UserAssigned", identityIds: [props.customerManagedKey.identityId] } : undefined,
      customerManagedKey: props.customerManagedKey
        ? { keyVaultKeyId: props.customerManagedKey.keyVaultKeyId, userAssignedIdentityId: props.customerManagedKey.identityId }
        : undefined,
      sasPolicy: { expirationPeriod: "00.01:00:00", expirationAction: "Block" },
      // Azure reads the key through the identity when it creates the account.
      dependsOn: props.customerManagedKey ? [props.customerManagedKey.grant] : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.container = new StorageContainer(this, "container", {
      name: props.containerName,
      storageAccountId: this.account.id,
      containerAccessType: "private",
    });
  }
}

/**
 * IP rules as Azure Storage takes them: it refuses /31 and /32 prefixes ("configure these ranges
 * using individual IP address rules"), so those become their addresses.
 */
export function storageIpRules(cidrs: readonly string[]): string[] {
  return cidrs.flatMap((cidr) => {
    const block = new Netmask(cidr);
    if (block.bitmask === 32) return [block.base];
    if (block.bitmask === 31) return [block.first, block.last];
    return [cidr];
  });
}
