/**
 * PostgreSQL Flexible Server in a delegated subnet: no public access, TLS required, Entra ID and
 * password authentication (the password generated into Key Vault), zone-redundant HA and
 * geo-redundant backups where asked, connection and checkpoint logging, a maintenance window.
 */
import { PostgresqlFlexibleServer } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server";
import { PostgresqlFlexibleServerConfiguration } from "@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration";
import { Construct } from "constructs";

/** Server parameters set on every server. */
export const POSTGRES_PARAMETERS: Readonly<Record<string, string>> = {
  require_secure_transport: "on",
  ssl_min_protocol_version: "TLSv1.2",
  log_connections: "on",
  log_disconnections: "on",
  log_checkpoints: "on",
  "connection_throttle.enable": "on",
};

/** Properties for {@link PostgresFlexible}. */
export interface PostgresFlexibleProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly version: string;
  readonly skuName: string;
  readonly storageMb: number;
  readonly delegatedSubnetId: string;
  readonly privateDnsZoneId: string;
  readonly tenantId: string;
  /** An ephemeral password for the write-only `administrator_password_wo` (never in state). */
  readonly administratorPasswordWo: string;
  /** Sent with it: the password is written again only when this changes. */
  readonly administratorPasswordWoVersion: number;
  readonly backupRetentionDays: number;
  readonly geoRedundantBackup: boolean;
  readonly zoneRedundantHa: boolean;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class PostgresFlexible extends Construct {
  readonly server: PostgresqlFlexibleServer;

  constructor(scope: Construct, id: string, props: PostgresFlexibleProps) {
    super(scope, id);
    if (props.zoneRedundantHa && props.skuName.startsWith("B_")) {
      throw new Error(`PostgresFlexible '${props.name}': high availability needs a General Purpose or Memory Optimized SKU, not ${props.skuName}`);
    }
    this.server = new PostgresqlFlexibleServer(this, "server", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      version: props.version,
      skuName: props.skuName,
      storageMb: props.storageMb,
      autoGrowEnabled: true,
      delegatedSubnetId: props.delegatedSubnetId,
      privateDnsZoneId: props.privateDnsZoneId,
      publicNetworkAccessEnabled: false,
      administratorLogin: "pgadmin",
      administratorPasswordWo: props.administratorPasswordWo,
      administratorPasswordWoVersion: props.administratorPasswordWoVersion,
      authentication: { activeDirectoryAuthEnabled: true, passwordAuthEnabled: true, tenantId: props.tenantId },
      backupRetentionDays: props.backupRetentionDays,
      geoRedundantBackupEnabled: props.geoRedundantBackup,
      zone: "1",
      highAvailability: props.zoneRedundantHa ? { mode: "ZoneRedundant", standbyAvailabilityZone: "2" } : undefined,
      maintenanceWindow: { dayOfWeek: 0, startHour: 5, startMinute: 0 },
      lifecycle: {
        preventDestroy: props.preventDestroy === true,
        // Azure swaps the zones on failover.
        ignoreChanges: ["zone", "high_availability[0].standby_availability_zone"],
      },
    });
    for (const [name, value] of Object.entries(POSTGRES_PARAMETERS)) {
      new PostgresqlFlexibleServerConfiguration(this, `parameter-${name.replace(/[._]/g, "-")}`, { serverId: this.server.id, name, value });
    }
  }
}
