/**
 * The azurerm provider of a stack: the environment's subscription and tenant, Entra ID for storage
 * data-plane calls. Credentials come from the environment (Azure CLI, OIDC or ARM_* variables).
 *
 * Storage accounts are managed through the management plane only (`data_plane_available` false):
 * by default azurerm 4.x polls each new account's blob and queue endpoints and reads its queue
 * properties on every refresh, which a private account (public network access off, a blob private
 * endpoint only) answers with 403 from its public queue endpoint, failing the create. No account
 * here uses `queue_properties` or `static_website`, the two settings that need the data plane.
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
        storage: [{ dataPlaneAvailable: false }],
      },
    ],
  });
}
