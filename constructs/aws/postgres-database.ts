/**
 * RDS PostgreSQL: private, encrypted with a customer-managed key, TLS forced, IAM authentication,
 * the master password generated and rotated by RDS in Secrets Manager (never in Terraform), backups
 * with a final snapshot, Performance Insights, enhanced monitoring and log exports.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { Construct } from "constructs";
import { databaseSecurityGroup } from "./database-security-group";
import { ServiceRole, servicePrincipalTrust } from "./service-role";

export const POSTGRES_PORT = 5432;

/** The logs the instance exports to CloudWatch. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Properties for {@link PostgresDatabase}. */
export interface PostgresDatabaseProps {
  readonly identifier: string;
  /**
   * The major version only (`17`): RDS moves the minor with automatic minor upgrades, and the AWS
   * provider keeps a major-only value without a diff (it records the running minor in
   * `engine_version_actual`). A pinned minor would become a downgrade RDS refuses.
   */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly kmsKeyArn: string;
  /** Key of the exported log groups (its policy must let CloudWatch Logs use it). */
  readonly logKmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  readonly vpcId: string;
  readonly subnetGroupName: string;
  /** Security group of the only clients (the cluster nodes). */
  readonly clientSecurityGroupId: string;
  /** Replica and backup clouds' ranges admitted over the private links. @default [] */
  readonly linkedClientCidrs?: readonly string[];
  /**
   * A standby in a second AZ with automatic failover.
   * @default true
   */
  readonly multiAz?: boolean;
  /**
   * Days of automated backups (point-in-time recovery window).
   * @default 30
   */
  readonly backupRetentionDays?: number;
  /**
   * RDS refuses to delete the instance; with `preventDestroy` Terraform refuses too.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /** @default false */
  readonly preventDestroy?: boolean;
  /**
   * Prepare the instance as the source of logical replication (Google's Database Migration Service
   * copies it with pglogical): see {@link logicalReplicationParameters}.
   * @default false
   */
  readonly logicalReplication?: boolean;
}

/**
 * The parameters of a logical-replication source. `rds.logical_replication` (wal_level = logical)
 * and the pglogical library are static: RDS applies them at the next reboot, which the promotion
 * runbook (docs/data-across-clouds.md) asks for. `max_slot_wal_keep_size` bounds the WAL a stalled
 * replica's slot may hold to a quarter of the allocated storage, so a broken link cannot fill the
 * primary's disk; past it the slot is invalidated and the replica must be re-seeded.
 * `pg_cron` (RDS for PostgreSQL 12.5 and later; static too) bumps the canary row the backup
 * cloud's restore check reads in every dump (`addtocloud_canary`, scheduled with
 * `cron.schedule_in_database` from the `postgres` database, the default `cron.database_name`).
 */
export function logicalReplicationParameters(allocatedStorageGb: number): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: "rds.logical_replication", value: "1", applyMethod: "pending-reboot" },
    { name: "shared_preload_libraries", value: "pg_stat_statements,pglogical,pg_cron", applyMethod: "pending-reboot" },
    { name: "max_slot_wal_keep_size", value: String(Math.floor((allocatedStorageGb * 1024) / 4)), applyMethod: "immediate" },
  ];
}

export class PostgresDatabase extends Construct {
  readonly instance: DbInstance;
  /** ARN of the Secrets Manager secret RDS manages for the master user. */
  readonly masterSecretArn: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const backupRetention = props.backupRetentionDays ?? 30;
    if (backupRetention < 7) {
      throw new Error(`PostgresDatabase '${props.identifier}': 'backupRetentionDays' (${backupRetention}) must be at least 7`);
    }
    if (!/^\d+$/.test(props.engineVersion)) {
      throw new Error(`PostgresDatabase '${props.identifier}': 'engineVersion' (${props.engineVersion}) must be a major version only, such as 17`);
    }
    const major = props.engineVersion;
    const securityGroup = databaseSecurityGroup(this, "sg", {
      name: `${props.identifier}-postgres`,
      description: `PostgreSQL ${props.identifier}: port ${POSTGRES_PORT} from the cluster nodes only`,
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
      linkedPeerCidrs: props.linkedClientCidrs,
    });
    const parameters = new DbParameterGroup(this, "parameters", {
      name: `${props.identifier}-postgres${major}`,
      family: `postgres${major}`,
      description: `TLS-only connections and statement logging for ${props.identifier}`,
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_statement", value: "ddl" },
        { name: "log_min_duration_statement", value: "1000" },
        ...(props.logicalReplication ? logicalReplicationParameters(props.allocatedStorageGb) : []),
      ],
    });
    const monitoringRole = new ServiceRole(this, "monitoring-role", {
      roleName: `${props.identifier}-rds-monitoring`,
      description: `Enhanced monitoring of ${props.identifier}`,
      assumeRolePolicy: servicePrincipalTrust("monitoring.rds.amazonaws.com"),
      managedPolicies: ["service-role/AmazonRDSEnhancedMonitoringRole"],
    });
    // RDS would create /aws/rds/instance/<id>/<log> itself on first export: unencrypted and kept
    // for ever. Created here first, they carry the key and a retention.
    const logGroups = POSTGRES_LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `${log}-logs`, {
          name: `/aws/rds/instance/${props.identifier}/${log}`,
          retentionInDays: props.logRetentionDays ?? 365,
          kmsKeyId: props.logKmsKeyArn,
        }),
    );
    this.instance = new DbInstance(this, "instance", {
      identifier: props.identifier,
      engine: "postgres",
      engineVersion: props.engineVersion,
      instanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorageGb,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbName: "addtocloud",
      username: "addtocloud_admin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      iamDatabaseAuthenticationEnabled: true,
      multiAz: props.multiAz ?? true,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: backupRetention,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKeyArn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: logGroups,
    });
    this.masterSecretArn = this.instance.masterUserSecret.get(0).secretArn;
  }
}
