/**
 * The application's topics and RabbitMQ vhosts, declared once for every environment; each cloud
 * creates them with its own resources (docs/messaging.md).
 */
import type { EnvironmentInput } from "../modules/config/environment";

export const applicationMessaging: NonNullable<EnvironmentInput["messaging"]> = {
  kafka: {
    topics: [
      { name: "orders.events", partitions: 6, retentionHours: 72 },
      { name: "audit.log", partitions: 3, retentionHours: 168 },
    ],
  },
  rabbitmq: {
    vhosts: [
      {
        name: "addtocloud",
        policies: [{ name: "bounded-queues", pattern: ".*", applyTo: "queues", definition: { "max-length": 100000, overflow: "reject-publish" } }],
      },
    ],
  },
};
