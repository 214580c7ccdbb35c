/**
 * Cloud SQL for PostgreSQL: private IP only, SSL enforced, CMEK, regional HA and a read replica
 * (production), backups with point-in-time recovery, deletion protection at both the Terraform and
 * the Cloud SQL API level, the logging flags the CIS benchmark asks for, Query Insights, and the
 * application user's password generated into Secret Manager.
 */
import { SqlDatabase } from "@cdktf/provider-google/lib/sql-database";
import { SqlDatabaseInstance, SqlDatabaseInstanceSettings } from "@cdktf/provider-google/lib/sql-database-instance";
import { SqlUser } from "@cdktf/provider-google/lib/sql-user";
import { Construct } from "constructs";
import { GeneratedSecret } from "./generated-secret";

export const CLOUD_SQL_POSTGRES_PORT = 5432;

/** The PostgreSQL flags of the CIS GCP benchmark (section 6.2), plus pgAudit. */
export const CIS_POSTGRES_FLAGS: readonly { name: string; value: string }[] = [
  { name: "log_checkpoints", value: "on" },
  { name: "log_connections", value: "on" },
  { name: "log_disconnections", value: "on" },
  { name: "log_lock_waits", value: "on" },
  { name: "log_hostname", value: "on" },
  { name: "log_min_messages", value: "error" },
  { name: "log_min_error_statement", value: "error" },
  { name: "log_temp_files", value: "0" },
  { name: "log_min_duration_statement", value: "-1" },
  { name: "log_statement", value: "ddl" },
  { name: "log_duration", value: "on" },
  { name: "cloudsql.enable_pgaudit", value: "on" },
];

/** Properties for {@link CloudSqlPostgres}. */
export interface CloudSqlPostgresProps {
  readonly instanceName: string;
  readonly region: string;
  readonly databaseVersion: string;
  readonly tier: string;
  readonly diskSizeGb: number;
  /** VPC with private service access to Cloud SQL. */
  readonly networkId: string;
  readonly kmsKeyId: string;
  /** @default "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" (TLS with client certificates, as the Cloud SQL connectors present) */
  readonly sslMode?: "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" | "ENCRYPTED_ONLY";
  /** @default true */
  readonly highAvailability?: boolean;
  /** @default true */
  readonly readReplica?: boolean;
  /** @default 30 */
  readonly backupRetentionCount?: number;
  /** @default false */
  readonly preventDestroy?: boolean;
  /**
   * The instance is the destination of a continuous migration (a replica of a primary in another
   * cloud): Database Migration Service needs it without user databases (the `addtocloud` database
   * arrives from the primary) and Cloud SQL read replicas cannot hang off it while it replicates,
   * so both are left out until promotion.
   * @default false
   */
  readonly migrationDestination?: boolean;
}

export class CloudSqlPostgres extends Construct {
  readonly instance: SqlDatabaseInstance;
  readonly password: GeneratedSecret;
  readonly appUser: SqlUser;

  constructor(scope: Construct, id: string, props: CloudSqlPostgresProps) {
    super(scope, id);
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;
    const settings = (replica: boolean): SqlDatabaseInstanceSettings => ({
      tier: props.tier,
      edition: "ENTERPRISE",
      availabilityType: !replica && (props.highAvailability ?? true) ? "REGIONAL" : "ZONAL",
      diskType: "PD_SSD",
      diskSize: props.diskSizeGb,
      diskAutoresize: true,
      deletionProtectionEnabled: true,
      ipConfiguration: {
        ipv4Enabled: false,
        privateNetwork: props.networkId,
        sslMode: props.sslMode ?? "TRUSTED_CLIENT_CERTIFICATE_REQUIRED",
        enablePrivatePathForGoogleCloudServices: true,
      },
      backupConfiguration: replica
        ? undefined
        : {
            enabled: true,
            pointInTimeRecoveryEnabled: true,
            startTime: "03:00",
            transactionLogRetentionDays: 7,
            backupRetentionSettings: { retainedBackups: props.backupRetentionCount ?? 30, retentionUnit: "COUNT" },
          },
      databaseFlags: [...CIS_POSTGRES_FLAGS],
      insightsConfig: { queryInsightsEnabled: true, recordApplicationTags: true, recordClientAddress: false },
      maintenanceWindow: { day: 7, hour: 4, updateTrack: "stable" },
    });
    this.instance = new SqlDatabaseInstance(this, "primary", {
      name: props.instanceName,
      region: props.region,
      databaseVersion: props.databaseVersion,
      encryptionKeyName: props.kmsKeyId,
      deletionProtection: true,
      settings: settings(false),
      lifecycle,
    });
    if ((props.readReplica ?? true) && !props.migrationDestination) {
      new SqlDatabaseInstance(this, "replica", {
        name: `${props.instanceName}-replica`,
        region: props.region,
        databaseVersion: props.databaseVersion,
        masterInstanceName: this.instance.name,
        encryptionKeyName: props.kmsKeyId,
        deletionProtection: true,
        replicaConfiguration: { failoverTarget: false },
        settings: settings(true),
        lifecycle,
      });
    }
    if (!props.migrationDestination) new SqlDatabase(this, "database", { name: "addtocloud", instance: this.instance.name });
    this.password = new GeneratedSecret(this, "app-password", {
      secretId: `${props.instanceName}-app-password`,
      region: props.region,
      kmsKeyId: props.kmsKeyId,
    });
    // Write-only (Terraform >= 1.11): the ephemeral password is sent when its version changes and never stored.
    this.appUser = new SqlUser(this, "app-user", { name: "addtocloud_app", instance: this.instance.name, passwordWo: this.password.value, passwordWoVersion: this.password.version });
  }
}
