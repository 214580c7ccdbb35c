/**
 * `<env>-gcp-messaging`: Managed Service for Apache Kafka in the nodes' subnet (CMEK, IAM access)
 * with the configured topics. RabbitMQ on GKE runs in the platform stack (RabbitMQ Cluster
 * Operator); this stack publishes how to reach it so every cloud's messaging contract has one shape.
 */
import { Construct } from "constructs";
import { CryptoKey } from "../../constructs/gcp/crypto-key";
import { GcpManagedKafka, MANAGED_KAFKA_PORT } from "../../constructs/gcp/managed-kafka";
import { googleProvider } from "../../constructs/gcp/provider";
import { ServiceAgents } from "../../constructs/gcp/service-agents";
import { inClusterAmqpContract } from "../../constructs/kubernetes/rabbitmq";
import type { GcpConfig } from "../../modules/config/clouds/gcp";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { messagingOn } from "../../modules/config/messaging";
import { GcpNetworkContract, MessagingContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

export function buildGcpMessaging(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig, networkStack: LayerStack): LayerStack | undefined {
  const kafkaOn = messagingOn(env, "gcp", "kafka");
  const rabbitOn = messagingOn(env, "gcp", "rabbitmq");
  if (!kafkaOn && !rabbitOn) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "gcp", layer: "messaging" });
  googleProvider(stack, gcp);
  let kafka: GcpManagedKafka | undefined;
  if (kafkaOn) {
    const network = stack.read(GcpNetworkContract, networkStack);
    const agents = new ServiceAgents(stack, "agents", gcp.projectId);
    // The service agent's grant is made by GcpManagedKafka, ordered before the cluster.
    const key = new CryptoKey(stack, "kafka-key", { keyRingName: resourceName(env, ["kafka"]), keyName: "kafka", location: gcp.region, encrypterDecrypters: [] });
    const k = env.messaging.gcp.kafka;
    kafka = new GcpManagedKafka(stack, "kafka", {
      clusterId: resourceName(env, ["kafka"]),
      projectId: gcp.projectId,
      region: gcp.region,
      subnetId: network.nodes_subnet_id,
      vcpuCount: k.vcpuCount,
      memoryGib: k.memoryGib,
      kmsKeyId: key.id,
      serviceAgentEmail: agents.email("managed-kafka"),
      topics: env.messaging.kafka.topics,
      preventDestroy: stack.production,
    });
  }
  stack.publish(MessagingContract, {
    kafka_bootstrap_servers: kafka ? kafka.bootstrapAddress : "",
    kafka_port: MANAGED_KAFKA_PORT,
    kafka_auth_mechanism: kafka ? "SASL_SSL/OAUTHBEARER (Google IAM; roles/managedkafka.client)" : "",
    // IAM roles are granted on the cluster (roles/managedkafka.client to the workload's service account).
    kafka_secret_ref: kafka ? kafka.cluster.id : "",
    kafka_topics: kafka ? env.messaging.kafka.topics.map((t) => t.name) : [],
    ...inClusterAmqpContract(rabbitOn),
  });
  return stack;
}
