/**
 * Cosmos DB for MongoDB (RU): public network access off, reachable through a private endpoint,
 * continuous backup, TLS 1.2, session consistency, zone redundancy and a second region with
 * automatic failover where asked.
 */
import { Fn } from "cdktf";
import { CosmosdbAccount } from "@cdktf/provider-azurerm/lib/cosmosdb-account";
import { Construct } from "constructs";
import type { CustomerManagedKey } from "./key-vault";
import { privateEndpoint } from "./private-endpoint";

/** Properties for {@link CosmosMongo}. */
export interface CosmosMongoProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly serverVersion: string;
  /** A read region with automatic failover. @default none */
  readonly secondaryLocation?: string;
  readonly zoneRedundant: boolean;
  /** Continuous backup window. */
  readonly backupTier: "Continuous7Days" | "Continuous30Days";
  readonly endpointSubnetId: string;
  readonly dnsZoneId: string;
  /** Encrypt with this Key Vault key through its identity, after the identity's grant. */
  readonly customerManagedKey: CustomerManagedKey;
  /**
   * Let clients holding the account key create and drop collections (and their indexes). Off, the
   * account refuses every metadata write made with the key (`disableKeyBasedMetadataWriteAccess`,
   * which covers the MongoDB API's create, drop and index commands): only Resource Manager may change
   * them. The MongoDB refresh (mongorestore --drop, with the account's connection string) drops and
   * recreates every collection it restores, so a copy target needs it on.
   * @default false
   */
  readonly keyBasedMetadataWrites?: boolean;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class CosmosMongo extends Construct {
  readonly account: CosmosdbAccount;

  constructor(scope: Construct, id: string, props: CosmosMongoProps) {
    super(scope, id);
    if (props.secondaryLocation === props.location) throw new Error(`CosmosMongo '${props.name}': the second region must differ from ${props.location}`);
    const locations = [{ location: props.location, failoverPriority: 0, zoneRedundant: props.zoneRedundant }];
    if (props.secondaryLocation) locations.push({ location: props.secondaryLocation, failoverPriority: 1, zoneRedundant: false });
    this.account = new CosmosdbAccount(this, "account", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      offerType: "Standard",
      kind: "MongoDB",
      mongoServerVersion: props.serverVersion,
      capabilities: [{ name: "EnableMongo" }],
      consistencyPolicy: { consistencyLevel: "Session" },
      geoLocation: locations,
      automaticFailoverEnabled: props.secondaryLocation !== undefined,
      publicNetworkAccessEnabled: false,
      isVirtualNetworkFilterEnabled: true,
      networkAclBypassForAzureServices: false,
      minimalTlsVersion: "Tls12",
      accessKeyMetadataWritesEnabled: props.keyBasedMetadataWrites ?? false,
      backup: { type: "Continuous", tier: props.backupTier },
      identity: { type: "UserAssigned", identityIds: [props.customerManagedKey.identityId] },
      defaultIdentityType: Fn.join("=", ["UserAssignedIdentity", props.customerManagedKey.identityId]),
      keyVaultKeyId: props.customerManagedKey.keyVaultKeyId,
      // Cosmos DB checks the key through the identity when it creates the account.
      dependsOn: [props.customerManagedKey.grant],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    privateEndpoint(this, "endpoint", {
      name: `${props.name}-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      resourceId: this.account.id,
      subresource: "MongoDB",
      dnsZoneId: props.dnsZoneId,
    });
  }
}
