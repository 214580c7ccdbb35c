/**
 * Azure Backup for a PostgreSQL Flexible Server: long-term retention beyond the server's own 35-day
 * point-in-time window, in a Backup Vault the server's administrators cannot delete from (soft
 * delete on, immutability locked in production). The vault's identity gets the two roles Azure
 * Backup documents for it (Reader on the resource group, the Long Term Retention Backup Role on the
 * server) before the backup instance is made.
 *
 * Azure Backup takes at most one vaulted backup of a Flexible Server a week.
 */
import { DataProtectionBackupInstancePostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/data-protection-backup-instance-postgresql-flexible-server";
import { DataProtectionBackupPolicyPostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/data-protection-backup-policy-postgresql-flexible-server";
import { DataProtectionBackupVault } from "@cdktf/provider-azurerm/lib/data-protection-backup-vault";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Construct } from "constructs";

/** Properties for {@link PostgresVaultedBackup}. */
export interface PostgresVaultedBackupProps {
  readonly name: string;
  readonly resourceGroupName: string;
  /** Id of that resource group (the vault identity reads it). */
  readonly resourceGroupId: string;
  readonly location: string;
  readonly serverId: string;
  /**
   * Geo-redundant vault storage with cross-region restore, and immutability locked (irreversible).
   * @default false: locally redundant, immutability enabled but unlocked
   */
  readonly production?: boolean;
  /**
   * Weekly backups kept, as an ISO 8601 duration.
   * @default "P3M"
   */
  readonly weeklyRetention?: string;
  /**
   * The first backup of each month kept, as an ISO 8601 duration.
   * @default "P12M"
   */
  readonly monthlyRetention?: string;
}

export class PostgresVaultedBackup extends Construct {
  readonly vault: DataProtectionBackupVault;
  readonly policy: DataProtectionBackupPolicyPostgresqlFlexibleServer;
  readonly instance: DataProtectionBackupInstancePostgresqlFlexibleServer;

  constructor(scope: Construct, id: string, props: PostgresVaultedBackupProps) {
    super(scope, id);
    const production = props.production ?? false;
    this.vault = new DataProtectionBackupVault(this, "vault", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      datastoreType: "VaultStore",
      redundancy: production ? "GeoRedundant" : "LocallyRedundant",
      crossRegionRestoreEnabled: production ? true : undefined,
      softDelete: "On",
      retentionDurationInDays: 14,
      immutability: production ? "Locked" : "Unlocked",
      identity: { type: "SystemAssigned" },
      lifecycle: production ? { preventDestroy: true } : undefined,
    });
    const principalId = this.vault.identity.principalId;
    const reader = new RoleAssignment(this, "vault-reads-group", {
      scope: props.resourceGroupId,
      roleDefinitionName: "Reader",
      principalId,
      principalType: "ServicePrincipal",
    });
    const backupRole = new RoleAssignment(this, "vault-backs-up-server", {
      scope: props.serverId,
      roleDefinitionName: "PostgreSQL Flexible Server Long Term Retention Backup Role",
      principalId,
      principalType: "ServicePrincipal",
    });
    this.policy = new DataProtectionBackupPolicyPostgresqlFlexibleServer(this, "policy", {
      name: `${props.name}-weekly`,
      vaultId: this.vault.id,
      // Sundays 02:30 UTC, before the server's maintenance window.
      backupRepeatingTimeIntervals: ["R/2026-01-04T02:30:00+00:00/P1W"],
      defaultRetentionRule: { lifeCycle: [{ dataStoreType: "VaultStore", duration: props.weeklyRetention ?? "P3M" }] },
      retentionRule: [
        {
          name: "monthly",
          priority: 20,
          criteria: { absoluteCriteria: "FirstOfMonth" },
          lifeCycle: [{ dataStoreType: "VaultStore", duration: props.monthlyRetention ?? "P12M" }],
        },
      ],
    });
    this.instance = new DataProtectionBackupInstancePostgresqlFlexibleServer(this, "instance", {
      name: `${props.name}-server`,
      location: props.location,
      vaultId: this.vault.id,
      serverId: props.serverId,
      backupPolicyId: this.policy.id,
      dependsOn: [reader, backupRole],
    });
  }
}
