/**
 * The azurerm provider of a stack: the environment's subscription and tenant, Entra ID for storage
 * data-plane calls. Credentials come from the environment (Azure CLI, OIDC or ARM_* variables).
 */
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Construct } from "constructs";
import type { AzureConfig } from "../../modules/config/clouds/azure";

export function azureProvider(scope: Construct, azure: Pick<AzureConfig, "subscriptionId" | "tenantId">): AzurermProvider {
  return new AzurermProvider(scope, "azurerm", {
    subscriptionId: azure.subscriptionId,
    tenantId: azure.tenantId,
    storageUseAzuread: true,
    features: [
      {
        keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
      },
    ],
  });
}
