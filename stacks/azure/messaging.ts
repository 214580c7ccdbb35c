/**
 * `<env>-azure-messaging`: an Event Hubs namespace as the Kafka endpoint (Premium with a
 * customer-managed key in production), private through its own `privatelink.servicebus.windows.net`
 * zone linked to the VNet. RabbitMQ on AKS runs in the platform stack; this stack publishes how to
 * reach it so every cloud's messaging contract has one shape.
 */
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import { Construct } from "constructs";
import { EVENT_HUBS_KAFKA_PORT, EventHubsKafka } from "../../constructs/azure/event-hubs-kafka";
import { CustomerManagedKey, SecureKeyVault, deployVaultAccess } from "../../constructs/azure/key-vault";
import { azureProvider } from "../../constructs/azure/provider";
import { inClusterAmqpContract } from "../../constructs/kubernetes/rabbitmq";
import type { AzureConfig } from "../../modules/config/clouds/azure";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { eventHubsSku, messagingOn } from "../../modules/config/messaging";
import { AzureNetworkContract, MessagingContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { compactName, resourceName } from "../../modules/naming";

export function buildAzureMessaging(scope: Construct, env: EnvironmentConfig, azure: AzureConfig, networkStack: LayerStack): LayerStack | undefined {
  const kafkaOn = messagingOn(env, "azure", "kafka");
  const rabbitOn = messagingOn(env, "azure", "rabbitmq");
  if (!kafkaOn && !rabbitOn) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "azure", layer: "messaging" });
  azureProvider(stack, azure);
  let kafka: EventHubsKafka | undefined;
  if (kafkaOn) {
    const network = stack.read(AzureNetworkContract, networkStack);
    const place = { resourceGroupName: network.resource_group_name, location: azure.location };
    const zone = new PrivateDnsZone(stack, "servicebus-zone", { name: "privatelink.servicebus.windows.net", resourceGroupName: network.resource_group_name });
    new PrivateDnsZoneVirtualNetworkLink(stack, "servicebus-zone-link", {
      name: `${resourceName(env, [])}-servicebus`,
      resourceGroupName: network.resource_group_name,
      privateDnsZoneName: zone.name,
      virtualNetworkId: network.vpc_id,
      registrationEnabled: false,
    });
    const sku = eventHubsSku(env);
    let customerManagedKey: CustomerManagedKey | undefined;
    if (sku === "Premium") {
      const vaultName = compactName(env, ["msgkv"], 24);
      const vault = new SecureKeyVault(stack, "vault", {
        ...place,
        name: vaultName,
        tenantId: azure.tenantId,
        ...deployVaultAccess(azure, { subnetId: network.endpoints_subnet_id, dnsZoneId: network.vault_dns_zone_id }),
        trustedServices: true,
        preventDestroy: stack.production,
      });
      const key = vault.wrappingKey("kafka-key", "event-hubs-encryption");
      customerManagedKey = vault.customerManagedKey("kafka-identity", `${vaultName}-eventhubs`, key);
    }
    kafka = new EventHubsKafka(stack, "kafka", {
      ...place,
      name: resourceName(env, ["events"], 50),
      sku,
      capacity: env.messaging.azure.kafka.capacity,
      endpointSubnetId: network.endpoints_subnet_id,
      dnsZoneId: zone.id,
      topics: env.messaging.kafka.topics,
      customerManagedKey,
      preventDestroy: stack.production,
    });
  }
  stack.publish(MessagingContract, {
    kafka_bootstrap_servers: kafka ? kafka.bootstrapServer : "",
    kafka_port: EVENT_HUBS_KAFKA_PORT,
    kafka_auth_mechanism: kafka ? "SASL_SSL/OAUTHBEARER (Entra ID; Azure Event Hubs Data Sender/Receiver)" : "",
    // Entra ID roles are granted on the namespace; there are no keys (local auth is off).
    kafka_secret_ref: kafka ? kafka.namespace.id : "",
    kafka_topics: kafka ? env.messaging.kafka.topics.map((t) => t.name) : [],
    ...inClusterAmqpContract(rabbitOn),
  });
  return stack;
}
