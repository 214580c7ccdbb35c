/**
 * Amazon MSK (provisioned): brokers spread over the given private subnets (one zone each), SASL/IAM
 * the only client authentication, TLS only between clients and brokers and inside the cluster,
 * storage encrypted with a customer-managed key, broker logs to a KMS-encrypted CloudWatch log group,
 * and open monitoring (JMX and node exporters) for Prometheus. Its security group admits only the
 * client group: 9098 (SASL/IAM over TLS) and the two exporter ports.
 *
 * Topics: the AWS provider has no MSK topic resource, so topics are created through the Kafka admin
 * API with IAM auth (docs/messaging.md); the cluster configuration turns automatic topic creation off
 * and sets the defaults (replication, min in-sync replicas) every topic gets.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";

/** SASL/IAM over TLS, the only listener clients reach. */
export const MSK_IAM_PORT = 9098;
/** MSK (Standard brokers) takes two or three client subnets, in distinct zones. */
export const MSK_MAX_ZONES = 3;
/** Open monitoring: the JMX exporter and the node exporter on every broker. */
export const MSK_EXPORTER_PORTS = { jmx: 11001, node: 11002 } as const;

/** Properties for {@link MskKafkaCluster}. */
export interface MskKafkaClusterProps {
  readonly clusterName: string;
  /** e.g. `3.8.x`. */
  readonly kafkaVersion: string;
  readonly instanceType: string;
  /** One subnet per zone, two or three (MSK refuses more); the broker count is a multiple of their number. */
  readonly subnetIds: string[];
  /** How many zones `subnetIds` spans (a literal: the ids are tokens). */
  readonly zoneCount: number;
  /** Brokers in each zone. @default 1 */
  readonly brokersPerZone?: number;
  readonly vpcId: string;
  /** The only group admitted (the cluster nodes). */
  readonly clientSecurityGroupId: string;
  /** Customer-managed key for the brokers' storage and the log group (its policy must admit CloudWatch Logs). */
  readonly kmsKeyArn: string;
  /** @default 100 */
  readonly volumeSizeGb?: number;
  /** @default 365 */
  readonly logRetentionDays?: number;
  /** Topic defaults for records (per-topic settings override). @default 168 */
  readonly defaultRetentionHours?: number;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class MskKafkaCluster extends Construct {
  readonly cluster: MskCluster;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly brokerCount: number;

  constructor(scope: Construct, id: string, props: MskKafkaClusterProps) {
    super(scope, id);
    const perZone = props.brokersPerZone ?? 1;
    if (!Number.isInteger(perZone) || perZone < 1) throw new Error(`MskKafkaCluster '${props.clusterName}': 'brokersPerZone' (${perZone}) must be a positive integer`);
    if (props.zoneCount < 2 || props.zoneCount > MSK_MAX_ZONES) {
      throw new Error(`MskKafkaCluster '${props.clusterName}': 'zoneCount' (${props.zoneCount}) must be 2 or 3: MSK takes two or three client subnets, one per zone`);
    }
    this.brokerCount = props.zoneCount * perZone;
    const replication = Math.min(3, this.brokerCount);
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.clusterName}-msk`,
      description: `MSK ${props.clusterName}: SASL/IAM and Prometheus exporters from the cluster nodes only`,
      vpcId: props.vpcId,
      ingress: [
        { description: "Kafka SASL/IAM over TLS from the cluster nodes", protocol: "tcp", fromPort: MSK_IAM_PORT, toPort: MSK_IAM_PORT, securityGroups: [props.clientSecurityGroupId] },
        {
          description: "Prometheus JMX and node exporters from the cluster nodes",
          protocol: "tcp",
          fromPort: MSK_EXPORTER_PORTS.jmx,
          toPort: MSK_EXPORTER_PORTS.node,
          securityGroups: [props.clientSecurityGroupId],
        },
      ],
      tags: { Name: `${props.clusterName}-msk` },
    });
    this.logGroup = new CloudwatchLogGroup(this, "broker-logs", {
      name: `/aws/msk/${props.clusterName}`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.kmsKeyArn,
    });
    const configuration = new MskConfiguration(this, "configuration", {
      // No `kafka_versions`: the properties below hold for every version, so an upgrade keeps the configuration.
      name: `${props.clusterName}-config`,
      description: `Broker defaults of ${props.clusterName}: no implicit topics, replicated writes`,
      serverProperties: [
        // Topics come from config (docs/messaging.md), never from a typo in a producer.
        "auto.create.topics.enable=false",
        `default.replication.factor=${replication}`,
        `min.insync.replicas=${Math.max(1, replication - 1)}`,
        "unclean.leader.election.enable=false",
        `log.retention.hours=${props.defaultRetentionHours ?? 168}`,
      ].join("\n"),
    });
    this.cluster = new MskCluster(this, "cluster", {
      clusterName: props.clusterName,
      kafkaVersion: props.kafkaVersion,
      numberOfBrokerNodes: this.brokerCount,
      enhancedMonitoring: "PER_TOPIC_PER_BROKER",
      brokerNodeGroupInfo: {
        clientSubnets: props.subnetIds,
        instanceType: props.instanceType,
        securityGroups: [this.securityGroup.id],
        connectivityInfo: { publicAccess: { type: "DISABLED" } },
        storageInfo: { ebsStorageInfo: { volumeSize: props.volumeSizeGb ?? 100 } },
      },
      clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
      encryptionInfo: {
        encryptionAtRestKmsKeyArn: props.kmsKeyArn,
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
      },
      configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
      loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name } } },
      openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
      lifecycle,
    });
  }
}
