/**
 * `<env>-digitalocean-messaging`: managed Kafka (three nodes) in the VPC, its firewall admitting only
 * the DOKS cluster, with the configured topics. RabbitMQ on DOKS runs in the platform stack; this
 * stack publishes how to reach it so every cloud's messaging contract has one shape.
 */
import { DatabaseKafkaTopic } from "@cdktf/provider-digitalocean/lib/database-kafka-topic";
import { Construct } from "constructs";
import { ManagedDatabase } from "../../constructs/digitalocean/managed-database";
import { digitalOceanProvider } from "../../constructs/digitalocean/provider";
import { inClusterAmqpContract } from "../../constructs/kubernetes/rabbitmq";
import type { DigitalOceanConfig } from "../../modules/config/clouds/digitalocean";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { messagingOn } from "../../modules/config/messaging";
import { DigitalOceanClusterContract, MessagingContract, NetworkContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

export function buildDigitalOceanMessaging(scope: Construct, env: EnvironmentConfig, d: DigitalOceanConfig, networkStack: LayerStack, clusterStack: LayerStack): LayerStack | undefined {
  const kafkaOn = messagingOn(env, "digitalocean", "kafka");
  const rabbitOn = messagingOn(env, "digitalocean", "rabbitmq");
  if (!kafkaOn && !rabbitOn) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "digitalocean", layer: "messaging" });
  digitalOceanProvider(stack);
  let kafka: ManagedDatabase | undefined;
  if (kafkaOn) {
    const network = stack.read(NetworkContract, networkStack);
    const cluster = stack.read(DigitalOceanClusterContract, clusterStack);
    const k = env.messaging.digitalocean.kafka;
    kafka = new ManagedDatabase(stack, "kafka", {
      name: resourceName(env, ["kafka"]),
      engine: "kafka",
      version: k.version,
      size: k.size ?? (stack.production ? "gd-2vcpu-8gb" : "db-s-2vcpu-2gb"),
      // DigitalOcean runs Kafka on exactly three nodes.
      nodeCount: 3,
      region: d.region,
      vpcId: network.vpc_id,
      kubernetesClusterId: cluster.cluster_id,
      maintenanceDay: d.data.maintenance.day,
      maintenanceHour: d.data.maintenance.hour,
      preventDestroy: stack.production,
    });
    for (const topic of env.messaging.kafka.topics) {
      new DatabaseKafkaTopic(stack, `topic-${topic.name}`, {
        clusterId: kafka.cluster.id,
        name: topic.name,
        partitionCount: topic.partitions,
        replicationFactor: 3,
        // The provider defaults cleanup_policy to compact_delete once a config block is given: say delete.
        config: [{ cleanupPolicy: "delete", retentionMs: String(topic.retentionHours * 3_600_000), minInsyncReplicas: 2 }],
      });
    }
  }
  stack.publish(MessagingContract, {
    kafka_bootstrap_servers: kafka ? `${kafka.cluster.privateHost}:${kafka.cluster.port}` : "",
    kafka_port: kafka ? kafka.cluster.port : MessagingContract.fields.kafka_port.default,
    kafka_auth_mechanism: kafka ? "SASL_SSL/SCRAM-SHA-256 (cluster users; CA from the cluster)" : "",
    // Credentials stay with the cluster (`doctl databases connection <id>`); the reference is its URN.
    kafka_secret_ref: kafka ? kafka.cluster.urn : "",
    kafka_topics: kafka ? env.messaging.kafka.topics.map((t) => t.name) : [],
    ...inClusterAmqpContract(rabbitOn),
  });
  return stack;
}
