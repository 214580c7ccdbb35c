/**
 * An Event Hubs namespace serving the Kafka protocol (Standard and above expose it on 9093):
 * Entra ID authentication only (local SAS keys off), no public network access, TLS 1.2, a private
 * endpoint registered in `privatelink.servicebus.windows.net`, and, where given, a customer-managed key
 * (Premium) applied only after the identity holds its grant on the key. Each configured topic is an
 * event hub with its partitions and retention.
 */
import { Eventhub } from "@cdktf/provider-azurerm/lib/eventhub";
import { EventhubNamespace } from "@cdktf/provider-azurerm/lib/eventhub-namespace";
import { EventhubNamespaceCustomerManagedKey } from "@cdktf/provider-azurerm/lib/eventhub-namespace-customer-managed-key";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { KafkaTopic } from "../../modules/config/messaging";
import { privateEndpoint } from "./private-endpoint";

/** The Kafka endpoint of an Event Hubs namespace (SASL_SSL). */
export const EVENT_HUBS_KAFKA_PORT = 9093;

/** Properties for {@link EventHubsKafka}. */
export interface EventHubsKafkaProps {
  /** 6-50 letters, digits and '-', globally unique. */
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly sku: "Standard" | "Premium";
  /** Throughput units (Standard) or processing units (Premium). */
  readonly capacity: number;
  readonly endpointSubnetId: string;
  readonly dnsZoneId: string;
  readonly topics: readonly KafkaTopic[];
  /**
   * Customer-managed key (Premium only): a versionless key id, the user-assigned identity that
   * unwraps with it, and what grants the identity the key (the key is applied after it).
   * @default Microsoft-managed keys
   */
  readonly customerManagedKey?: { readonly keyVaultKeyId: string; readonly identityId: string; readonly grant: ITerraformDependable };
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class EventHubsKafka extends Construct {
  readonly namespace: EventhubNamespace;
  readonly eventHubs: Eventhub[];

  constructor(scope: Construct, id: string, props: EventHubsKafkaProps) {
    super(scope, id);
    if (props.customerManagedKey && props.sku !== "Premium") {
      throw new Error(`EventHubsKafka '${props.name}': a 'customerManagedKey' needs the Premium sku (got ${props.sku})`);
    }
    const cmk = props.customerManagedKey;
    this.namespace = new EventhubNamespace(this, "namespace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: props.sku,
      capacity: props.capacity,
      // Entra ID only: no shared access keys to leak.
      localAuthenticationEnabled: false,
      publicNetworkAccessEnabled: false,
      minimumTlsVersion: "1.2",
      identity: cmk ? { type: "UserAssigned", identityIds: [cmk.identityId] } : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    if (cmk) {
      new EventhubNamespaceCustomerManagedKey(this, "cmk", {
        eventhubNamespaceId: this.namespace.id,
        keyVaultKeyIds: [cmk.keyVaultKeyId],
        userAssignedIdentityId: cmk.identityId,
        infrastructureEncryptionEnabled: true,
        dependsOn: [cmk.grant],
      });
    }
    privateEndpoint(this, "endpoint", {
      name: `${props.name}-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      resourceId: this.namespace.id,
      subresource: "namespace",
      dnsZoneId: props.dnsZoneId,
    });
    this.eventHubs = props.topics.map(
      (topic) =>
        new Eventhub(this, `topic-${topic.name}`, {
          name: topic.name,
          namespaceId: this.namespace.id,
          partitionCount: topic.partitions,
          retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: topic.retentionHours },
        }),
    );
  }

  /** `<namespace>.servicebus.windows.net:9093`, resolved to the private endpoint inside the VNet. */
  get bootstrapServer(): string {
    return `${this.namespace.name}.servicebus.windows.net:${EVENT_HUBS_KAFKA_PORT}`;
  }
}
