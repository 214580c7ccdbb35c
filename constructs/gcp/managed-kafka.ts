/**
 * Google Cloud Managed Service for Apache Kafka: brokers reachable only through Private Service
 * Connect addresses in the given VPC subnet, storage encrypted with a customer-managed key (the
 * Managed Kafka service agent is granted the key before the cluster is created), clients
 * authenticated by IAM (SASL OAUTHBEARER with Google credentials, or PLAIN with a service account
 * key) over TLS; topics as `google_managed_kafka_topic`.
 */
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { ManagedKafkaCluster } from "@cdktf/provider-google/lib/managed-kafka-cluster";
import { ManagedKafkaTopic } from "@cdktf/provider-google/lib/managed-kafka-topic";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { Construct } from "constructs";
import type { KafkaTopic } from "../../modules/config/messaging";

/** The TLS listener of the bootstrap address. */
export const MANAGED_KAFKA_PORT = 9092;

/** Properties for {@link GcpManagedKafka}. */
export interface GcpManagedKafkaProps {
  /** 1-63 lowercase letters, digits and '-'. */
  readonly clusterId: string;
  readonly projectId: string;
  readonly region: string;
  /** `projects/<p>/regions/<r>/subnetworks/<name>`. */
  readonly subnetId: string;
  readonly vcpuCount: number;
  readonly memoryGib: number;
  readonly kmsKeyId: string;
  /** The Managed Kafka service agent, granted encrypt/decrypt on the key. */
  readonly serviceAgentEmail: string;
  readonly topics: readonly KafkaTopic[];
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class GcpManagedKafka extends Construct {
  readonly cluster: ManagedKafkaCluster;
  readonly topics: ManagedKafkaTopic[];
  /** `bootstrap.<cluster>.<region>.managedkafka.<project>.cloud.goog:9092`, the documented form. */
  readonly bootstrapAddress: string;

  constructor(scope: Construct, id: string, props: GcpManagedKafkaProps) {
    super(scope, id);
    if (props.vcpuCount < 3) throw new Error(`GcpManagedKafka '${props.clusterId}': 'vcpuCount' (${props.vcpuCount}) must be at least 3`);
    if (props.memoryGib < props.vcpuCount || props.memoryGib > props.vcpuCount * 8) {
      throw new Error(`GcpManagedKafka '${props.clusterId}': 'memoryGib' (${props.memoryGib}) must be 1-8 GiB per vCPU`);
    }
    // The API (and with it the service agent) first; kept on destroy, other stacks may use it.
    // Where the agent does not exist yet: `gcloud beta services identity create --service=managedkafka.googleapis.com`.
    const api = new ProjectService(this, "api", { project: props.projectId, service: "managedkafka.googleapis.com", disableOnDestroy: false });
    const keyGrant = new KmsCryptoKeyIamMember(this, "key-user", {
      cryptoKeyId: props.kmsKeyId,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: `serviceAccount:${props.serviceAgentEmail}`,
      dependsOn: [api],
    });
    this.cluster = new ManagedKafkaCluster(this, "cluster", {
      clusterId: props.clusterId,
      location: props.region,
      capacityConfig: { vcpuCount: String(props.vcpuCount), memoryBytes: String(props.memoryGib * 1024 ** 3) },
      gcpConfig: { kmsKey: props.kmsKeyId, accessConfig: { networkConfigs: [{ subnet: props.subnetId }] } },
      rebalanceConfig: { mode: "AUTO_REBALANCE_ON_SCALE_UP" },
      // The service agent must hold the key before the cluster encrypts its first byte.
      dependsOn: [keyGrant],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.topics = props.topics.map(
      (topic) =>
        new ManagedKafkaTopic(this, `topic-${topic.name}`, {
          topicId: topic.name,
          cluster: this.cluster.clusterId,
          location: props.region,
          partitionCount: topic.partitions,
          replicationFactor: 3,
          configs: { "cleanup.policy": "delete", "retention.ms": String(topic.retentionHours * 3_600_000) },
        }),
    );
    this.bootstrapAddress = `bootstrap.${props.clusterId}.${props.region}.managedkafka.${props.projectId}.cloud.goog:${MANAGED_KAFKA_PORT}`;
  }
}
