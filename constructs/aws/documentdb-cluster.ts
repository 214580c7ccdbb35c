/**
 * DocumentDB (MongoDB-compatible): private, encrypted with a customer-managed key, TLS required,
 * audit and profiler logs exported, backups with a final snapshot, the master password managed by
 * the service in Secrets Manager.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DocdbCluster } from "@cdktf/provider-aws/lib/docdb-cluster";
import { DocdbClusterInstance } from "@cdktf/provider-aws/lib/docdb-cluster-instance";
import { DocdbClusterParameterGroup } from "@cdktf/provider-aws/lib/docdb-cluster-parameter-group";
import { Construct } from "constructs";
import { databaseSecurityGroup } from "./database-security-group";

export const DOCUMENTDB_PORT = 27017;

/** The logs the cluster exports to CloudWatch. */
export const DOCUMENTDB_LOG_EXPORTS = ["audit", "profiler"] as const;

/** Properties for {@link DocumentDbCluster}. */
export interface DocumentDbClusterProps {
  readonly identifier: string;
  /**
   * Engine version such as `5.0.0` (patches arrive in the maintenance window without changing it);
   * the cluster parameter group family follows its major.minor.
   */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Instances: one writer, the rest readers in other AZs. */
  readonly instances: number;
  readonly kmsKeyArn: string;
  /** Key of the exported log groups (its policy must let CloudWatch Logs use it). */
  readonly logKmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
  readonly vpcId: string;
  readonly subnetGroupName: string;
  readonly clientSecurityGroupId: string;
  /** Replica and backup clouds' ranges admitted over the private links. @default [] */
  readonly linkedClientCidrs?: readonly string[];
  /** @default 30 */
  readonly backupRetentionDays?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class DocumentDbCluster extends Construct {
  readonly cluster: DocdbCluster;
  readonly masterSecretArn: string;

  constructor(scope: Construct, id: string, props: DocumentDbClusterProps) {
    super(scope, id);
    const securityGroup = databaseSecurityGroup(this, "sg", {
      name: `${props.identifier}-docdb`,
      description: `DocumentDB ${props.identifier}: port ${DOCUMENTDB_PORT} from the cluster nodes only`,
      vpcId: props.vpcId,
      port: DOCUMENTDB_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
      linkedPeerCidrs: props.linkedClientCidrs,
    });
    const family = /^(\d+\.\d+)\.\d+$/.exec(props.engineVersion)?.[1];
    if (!family) {
      throw new Error(`DocumentDbCluster '${props.identifier}': 'engineVersion' (${props.engineVersion}) must look like 5.0.0`);
    }
    const parameters = new DocdbClusterParameterGroup(this, "parameters", {
      name: `${props.identifier}-docdb${family.split(".")[0]}`,
      family: `docdb${family}`,
      description: `TLS required, audit and profiler logs for ${props.identifier}`,
      parameter: [
        { name: "tls", value: "enabled" },
        { name: "audit_logs", value: "enabled" },
        { name: "profiler", value: "enabled" },
      ],
    });
    // DocumentDB would create /aws/docdb/<cluster>/<log> itself on first export: unencrypted and
    // kept for ever. Created here first, they carry the key and a retention.
    const logGroups = DOCUMENTDB_LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `${log}-logs`, {
          name: `/aws/docdb/${props.identifier}/${log}`,
          retentionInDays: props.logRetentionDays ?? 365,
          kmsKeyId: props.logKmsKeyArn,
        }),
    );
    this.cluster = new DocdbCluster(this, "cluster", {
      clusterIdentifier: props.identifier,
      engine: "docdb",
      engineVersion: props.engineVersion,
      masterUsername: "addtocloud_admin",
      manageMasterUserPassword: true,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: props.subnetGroupName,
      vpcSecurityGroupIds: [securityGroup.id],
      dbClusterParameterGroupName: parameters.name,
      backupRetentionPeriod: props.backupRetentionDays ?? 30,
      preferredBackupWindow: "03:00-04:00",
      preferredMaintenanceWindow: "sun:04:30-sun:05:30",
      enabledCloudwatchLogsExports: [...DOCUMENTDB_LOG_EXPORTS],
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.identifier}-final`,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      dependsOn: logGroups,
    });
    for (let i = 0; i < props.instances; i++) {
      new DocdbClusterInstance(this, `instance-${i + 1}`, {
        identifier: `${props.identifier}-${i + 1}`,
        clusterIdentifier: this.cluster.id,
        instanceClass: props.instanceClass,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: props.kmsKeyArn,
      });
    }
    this.masterSecretArn = this.cluster.masterUserSecret.get(0).secretArn;
  }
}
