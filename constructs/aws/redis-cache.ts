/**
 * ElastiCache Redis: a replication group in the database subnets, encrypted at rest with a
 * customer-managed key and in transit (TLS required), clients authenticated by IAM through an RBAC
 * user group (no token to store or leak; the default user is switched off), automatic failover
 * across AZs when there are replicas, daily snapshots, slow and engine logs to CloudWatch.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { Construct } from "constructs";
import { databaseSecurityGroup } from "./database-security-group";

export const REDIS_PORT = 6379;

/** Properties for {@link RedisCache}. */
export interface RedisCacheProps {
  /** At most 40 characters (ElastiCache's limit). */
  readonly identifier: string;
  /**
   * Redis OSS major.minor such as `7.1`: ElastiCache takes the newest patch and moves it with
   * automatic minor upgrades, keeping the configured value (no diff).
   */
  readonly engineVersion: string;
  readonly nodeType: string;
  /** Read replicas besides the primary. */
  readonly replicas: number;
  readonly kmsKeyArn: string;
  /** Key for the log groups (must allow CloudWatch Logs). */
  readonly logKmsKeyArn: string;
  readonly vpcId: string;
  readonly subnetGroupName: string;
  readonly clientSecurityGroupId: string;
  /**
   * Spread primary and replicas over AZs (needs at least one replica).
   * @default true when there are replicas
   */
  readonly multiAz?: boolean;
  /** @default 7 */
  readonly snapshotRetentionDays?: number;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class RedisCache extends Construct {
  readonly group: ElasticacheReplicationGroup;
  /** The IAM-authenticated user applications connect as (its ARN is the credential reference). */
  readonly appUser: ElasticacheUser;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    if (props.identifier.length > 40) {
      throw new Error(`RedisCache: 'identifier' (${props.identifier}) must be at most 40 characters`);
    }
    const multiAz = props.multiAz ?? props.replicas > 0;
    if (multiAz && props.replicas < 1) {
      throw new Error(`RedisCache '${props.identifier}': 'multiAz' needs at least one replica ('replicas' is ${props.replicas})`);
    }
    const securityGroup = databaseSecurityGroup(this, "sg", {
      name: `${props.identifier}-redis`,
      description: `Redis ${props.identifier}: port ${REDIS_PORT} from the cluster nodes only`,
      vpcId: props.vpcId,
      port: REDIS_PORT,
      sourceSecurityGroupId: props.clientSecurityGroupId,
    });

    // Every user group must contain a user named "default"; this one can do nothing.
    const defaultUser = new ElasticacheUser(this, "default-user", {
      userId: `${props.identifier}-default`,
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    // IAM authentication wants user id and user name to be equal.
    this.appUser = new ElasticacheUser(this, "app-user", {
      userId: `${props.identifier}-app`,
      userName: `${props.identifier}-app`,
      engine: "redis",
      accessString: "on ~* +@all -@dangerous",
      authenticationMode: { type: "iam" },
    });
    const users = new ElasticacheUserGroup(this, "users", {
      userGroupId: `${props.identifier}-users`,
      engine: "redis",
      userIds: [defaultUser.userId, this.appUser.userId],
    });

    const logGroups = ["slow-log", "engine-log"].map(
      (kind) =>
        new CloudwatchLogGroup(this, `${kind}-group`, {
          name: `/aws/elasticache/${props.identifier}/${kind}`,
          retentionInDays: props.logRetentionDays ?? 365,
          kmsKeyId: props.logKmsKeyArn,
        }),
    );

    this.group = new ElasticacheReplicationGroup(this, "group", {
      replicationGroupId: props.identifier,
      description: `Redis of ${props.identifier}`,
      engine: "redis",
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port: REDIS_PORT,
      numCacheClusters: 1 + props.replicas,
      automaticFailoverEnabled: props.replicas > 0,
      multiAzEnabled: multiAz,
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [users.userGroupId],
      subnetGroupName: props.subnetGroupName,
      securityGroupIds: [securityGroup.id],
      snapshotRetentionLimit: props.snapshotRetentionDays ?? 7,
      snapshotWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      finalSnapshotIdentifier: `${props.identifier}-final`,
      autoMinorVersionUpgrade: "true",
      logDeliveryConfiguration: [
        { destination: logGroups[0].name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
        { destination: logGroups[1].name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
      ],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }
}
