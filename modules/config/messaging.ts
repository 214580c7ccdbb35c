/**
 * The `messaging` section of an environment: Kafka topics and RabbitMQ vhosts declared once, and per
 * cloud which broker runs and how big. Managed Kafka on every cloud (MSK, Managed Service for Apache
 * Kafka, Event Hubs, DigitalOcean Kafka); RabbitMQ as Amazon MQ on AWS and through the RabbitMQ
 * Cluster Operator on the other clusters. Each cloud's limits are checked here, naming the field.
 */
import { z } from "zod";
import type { ConfigProblem } from "./load";
import type { EnvironmentConfig, KubernetesCloud } from "./environment";

/** A Kafka topic name every cloud accepts (Event Hubs names are the strictest common subset). */
const TopicName = z.string().regex(/^[a-z][a-z0-9.-]{0,126}[a-z0-9]$/, {
  message: "must be 2-128 lowercase letters, digits, '.' and '-', starting with a letter and ending with a letter or digit",
});

/** One Kafka topic, created with each cloud's own topic resource where the provider has one. */
export const KafkaTopic = z
  .object({
    name: TopicName,
    /** @default 3 (DigitalOcean's minimum) */
    partitions: z.number().int().min(1).max(2048).default(3),
    /** How long records are kept. @default 168 (7 days) */
    retentionHours: z.number().int().min(1).max(8760).default(168),
  })
  .strict();
export type KafkaTopic = z.infer<typeof KafkaTopic>;

const VhostName = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, { message: "must be 1-63 lowercase letters, digits, '_', '.' and '-'" });

/** A RabbitMQ policy applied to the queues or exchanges of one vhost whose names match `pattern`. */
export const RabbitPolicy = z
  .object({
    name: VhostName,
    /** Regular expression over queue/exchange names. */
    pattern: z.string().min(1),
    applyTo: z.enum(["queues", "exchanges", "all", "classic_queues", "quorum_queues", "streams"]).default("queues"),
    priority: z.number().int().min(0).max(999).default(0),
    /** Policy keys and values, e.g. `{ "max-length": 100000, "overflow": "reject-publish" }`. */
    definition: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).refine((d) => Object.keys(d).length > 0, { message: "must set at least one key" }),
  })
  .strict();

export const RabbitVhost = z
  .object({
    name: VhostName,
    policies: z.array(RabbitPolicy).default([]),
  })
  .strict();
export type RabbitVhost = z.infer<typeof RabbitVhost>;

/** RabbitMQ run in the cluster by the RabbitMQ Cluster Operator (GCP, Azure, DigitalOcean). */
const InClusterRabbit = z
  .object({
    enabled: z.boolean().default(true),
    /** RabbitMQ nodes, spread across zones. @default 3 in production, 1 elsewhere */
    replicas: z.number().int().refine((n) => [1, 3, 5, 7].includes(n), { message: "must be 1, 3, 5 or 7 (an odd count keeps a quorum)" }).optional(),
    /** Persistent volume per node. @default 20 */
    storageGi: z.number().int().min(1).max(16384).default(20),
  })
  .strict()
  .prefault({});

/** MSK broker instance types (provisioned clusters). */
export const MSK_INSTANCE_TYPES = [
  "kafka.t3.small",
  "kafka.m5.large",
  "kafka.m5.xlarge",
  "kafka.m5.2xlarge",
  "kafka.m5.4xlarge",
  "kafka.m7g.large",
  "kafka.m7g.xlarge",
  "kafka.m7g.2xlarge",
  "kafka.m7g.4xlarge",
] as const;
/** Amazon MQ host instance types for RabbitMQ (mq.t3.micro runs only as a single instance). */
export const MQ_RABBIT_INSTANCE_TYPES = ["mq.t3.micro", "mq.m5.large", "mq.m5.xlarge", "mq.m5.2xlarge", "mq.m5.4xlarge"] as const;
/** DigitalOcean database sizes offered for Kafka (three nodes each). */
export const DO_KAFKA_SIZES = ["db-s-2vcpu-2gb", "db-s-2vcpu-4gb", "gd-2vcpu-8gb", "gd-4vcpu-16gb", "gd-8vcpu-32gb", "gd-16vcpu-64gb"] as const;
/** Event Hubs limits per SKU: partitions per event hub, retention, capacity units. */
export const EVENT_HUBS_LIMITS = {
  Standard: { maxPartitions: 32, maxRetentionHours: 168, capacities: Array.from({ length: 40 }, (_, i) => i + 1) },
  Premium: { maxPartitions: 100, maxRetentionHours: 2160, capacities: [1, 2, 4, 8, 16] },
} as const;

const AwsMessaging = z
  .object({
    kafka: z
      .object({
        enabled: z.boolean().default(true),
        kafkaVersion: z.enum(["3.6.0", "3.7.x", "3.8.x", "3.9.x"]).default("3.8.x"),
        /** @default kafka.m5.large in production, kafka.t3.small elsewhere */
        instanceType: z.enum(MSK_INSTANCE_TYPES).optional(),
        /** Brokers in each of the network's zones. @default 1 */
        brokersPerZone: z.number().int().min(1).max(10).default(1),
        /** EBS volume per broker. @default 100 */
        volumeSizeGb: z.number().int().min(1).max(16384).default(100),
        /** Broker log retention in CloudWatch. @default 365 */
        logRetentionDays: z.number().int().min(1).max(3653).default(365),
      })
      .strict()
      .prefault({}),
    rabbitmq: z
      .object({
        enabled: z.boolean().default(true),
        /** Amazon MQ's RabbitMQ minor; patches come through `autoMinorVersionUpgrade` in the maintenance window. */
        engineVersion: z.enum(["3.13"]).default("3.13"),
        /** @default mq.m5.large in production, mq.t3.micro elsewhere */
        instanceType: z.enum(MQ_RABBIT_INSTANCE_TYPES).optional(),
        /** Three nodes across zones, or one. @default CLUSTER_MULTI_AZ in production, SINGLE_INSTANCE elsewhere */
        deploymentMode: z.enum(["CLUSTER_MULTI_AZ", "SINGLE_INSTANCE"]).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const GcpMessaging = z
  .object({
    kafka: z
      .object({
        enabled: z.boolean().default(true),
        /** vCPUs of the cluster (at least 3). @default 3 */
        vcpuCount: z.number().int().min(3).max(1000).default(3),
        /** Memory of the cluster, 1 to 8 GiB per vCPU. @default 12 */
        memoryGib: z.number().int().min(3).max(8000).default(12),
      })
      .strict()
      .prefault({}),
    rabbitmq: InClusterRabbit,
  })
  .strict()
  .prefault({});

const AzureMessaging = z
  .object({
    kafka: z
      .object({
        enabled: z.boolean().default(true),
        /** Premium gives CMK and 100 partitions per event hub. @default Premium in production, Standard elsewhere */
        sku: z.enum(["Standard", "Premium"]).optional(),
        /** Throughput units (Standard, 1-40) or processing units (Premium: 1, 2, 4, 8, 16). @default 1 */
        capacity: z.number().int().min(1).max(40).default(1),
      })
      .strict()
      .prefault({}),
    rabbitmq: InClusterRabbit,
  })
  .strict()
  .prefault({});

const DigitalOceanMessaging = z
  .object({
    kafka: z
      .object({
        enabled: z.boolean().default(true),
        /** Kafka versions DigitalOcean offered when written (`doctl databases options versions` lists today's). @default 3.7, the provider docs' */
        version: z.enum(["3.7", "3.8"]).default("3.7"),
        /** @default gd-2vcpu-8gb in production, db-s-2vcpu-2gb elsewhere */
        size: z.enum(DO_KAFKA_SIZES).optional(),
      })
      .strict()
      .prefault({}),
    rabbitmq: InClusterRabbit,
  })
  .strict()
  .prefault({});

export const MessagingConfig = z
  .object({
    kafka: z.object({ topics: z.array(KafkaTopic).default([]) }).strict().prefault({}),
    rabbitmq: z.object({ vhosts: z.array(RabbitVhost).default([]) }).strict().prefault({}),
    /** Per cloud (only read for the clouds the environment enables). */
    aws: AwsMessaging,
    gcp: GcpMessaging,
    azure: AzureMessaging,
    digitalocean: DigitalOceanMessaging,
  })
  .strict();
export type MessagingConfig = z.infer<typeof MessagingConfig>;

/** Whether `cloud` runs Kafka / RabbitMQ in this environment (the cloud must be enabled). */
export function messagingOn(env: EnvironmentConfig, cloud: KubernetesCloud, broker: "kafka" | "rabbitmq"): boolean {
  return env.clouds[cloud] !== undefined && env.messaging[cloud][broker].enabled;
}

/** The Event Hubs SKU of an environment. */
export function eventHubsSku(env: EnvironmentConfig): "Standard" | "Premium" {
  return env.messaging.azure.kafka.sku ?? (env.stage === "production" ? "Premium" : "Standard");
}

/** In-cluster RabbitMQ nodes of `cloud`. */
export function rabbitReplicas(env: EnvironmentConfig, cloud: "gcp" | "azure" | "digitalocean"): number {
  return env.messaging[cloud].rabbitmq.replicas ?? (env.stage === "production" ? 3 : 1);
}

/** The rules that need the stage or span fields: duplicates and each enabled cloud's limits. */
export function messagingProblems(env: EnvironmentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: string, message: string) => problems.push({ path: `${env.name}.messaging.${path}`, message });
  const m = env.messaging;
  const topics = m.kafka.topics;
  topics.forEach((topic, i) => {
    if (topics.findIndex((t) => t.name === topic.name) !== i) at(`kafka.topics[${i}].name`, `topic '${topic.name}' is declared twice`);
  });
  m.rabbitmq.vhosts.forEach((vhost, i) => {
    if (m.rabbitmq.vhosts.findIndex((v) => v.name === vhost.name) !== i) at(`rabbitmq.vhosts[${i}].name`, `vhost '${vhost.name}' is declared twice`);
    vhost.policies.forEach((policy, j) => {
      if (vhost.policies.findIndex((p) => p.name === policy.name) !== j) at(`rabbitmq.vhosts[${i}].policies[${j}].name`, `policy '${policy.name}' is declared twice in vhost '${vhost.name}'`);
    });
  });

  if (messagingOn(env, "aws", "rabbitmq")) {
    const r = m.aws.rabbitmq;
    const mode = r.deploymentMode ?? (env.stage === "production" ? "CLUSTER_MULTI_AZ" : "SINGLE_INSTANCE");
    const type = r.instanceType ?? (env.stage === "production" ? "mq.m5.large" : "mq.t3.micro");
    if (mode === "CLUSTER_MULTI_AZ" && type === "mq.t3.micro") {
      at("aws.rabbitmq.instanceType", "mq.t3.micro runs only as SINGLE_INSTANCE; a CLUSTER_MULTI_AZ broker needs mq.m5.large or larger");
    }
  }
  if (messagingOn(env, "azure", "kafka")) {
    const sku = eventHubsSku(env);
    const limits = EVENT_HUBS_LIMITS[sku];
    const capacity = m.azure.kafka.capacity;
    if (!(limits.capacities as readonly number[]).includes(capacity)) {
      at("azure.kafka.capacity", `${capacity} is not a ${sku} capacity; use one of ${sku === "Premium" ? limits.capacities.join(", ") : "1-40"}`);
    }
    topics.forEach((topic, i) => {
      if (topic.partitions > limits.maxPartitions) at(`kafka.topics[${i}].partitions`, `${topic.partitions} exceeds the ${limits.maxPartitions} partitions of an Event Hubs ${sku} event hub (Azure)`);
      if (topic.retentionHours > limits.maxRetentionHours) at(`kafka.topics[${i}].retentionHours`, `${topic.retentionHours} exceeds the ${limits.maxRetentionHours} hours Event Hubs ${sku} keeps events (Azure)`);
    });
  }
  if (messagingOn(env, "digitalocean", "kafka")) {
    topics.forEach((topic, i) => {
      if (topic.partitions < 3) at(`kafka.topics[${i}].partitions`, `${topic.partitions} is below the 3 partitions DigitalOcean managed Kafka requires`);
    });
  }
  if (messagingOn(env, "gcp", "kafka")) {
    const k = m.gcp.kafka;
    if (k.memoryGib < k.vcpuCount || k.memoryGib > k.vcpuCount * 8) {
      at("gcp.kafka.memoryGib", `${k.memoryGib} GiB is outside 1-8 GiB per vCPU for ${k.vcpuCount} vCPUs (${k.vcpuCount}-${k.vcpuCount * 8})`);
    }
  }
  return problems;
}
