/**
 * The identity of the restore check (constructs/kubernetes/restore-check-job.ts): a user-assigned
 * identity of its own, federated to exactly `data-copies/postgres-restore-check` on the AKS OIDC
 * issuer, that may read the dumps container (Storage Blob Data Reader on that container only, never
 * write: the dumps are the evidence) and the backup server's administrator password (Key Vault
 * Secrets User on that one secret, not the vault).
 */
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { REFRESH_NAMESPACE } from "../../constructs/kubernetes/postgres-refresh-job";
import { RESTORE_CHECK_SERVICE_ACCOUNT } from "../../constructs/kubernetes/restore-check-job";
import type { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

export function postgresRestoreCheckAccess(
  stack: LayerStack,
  props: {
    /** OIDC issuer of the AKS cluster. */
    oidcIssuerUrl: string;
    /** Resource Manager id of the dumps container. */
    dumpsContainerId: string;
    /** Resource Manager id (versionless) of the administrator password's Key Vault secret. */
    targetSecretId: string;
    place: { resourceGroupName: string; location: string };
  },
): { clientId: string } {
  const identity = new UserAssignedIdentity(stack, "postgres-restore-check-identity", {
    ...props.place,
    name: resourceName(stack.env, ["postgres-restore-check"], 128),
  });
  new FederatedIdentityCredential(stack, "postgres-restore-check-federation", {
    name: `${REFRESH_NAMESPACE}-${RESTORE_CHECK_SERVICE_ACCOUNT}`,
    resourceGroupName: props.place.resourceGroupName,
    parentId: identity.id,
    issuer: props.oidcIssuerUrl,
    subject: `system:serviceaccount:${REFRESH_NAMESPACE}:${RESTORE_CHECK_SERVICE_ACCOUNT}`,
    audience: ["api://AzureADTokenExchange"],
  });
  new RoleAssignment(stack, "postgres-restore-check-reads-dumps", {
    scope: props.dumpsContainerId,
    roleDefinitionName: "Storage Blob Data Reader",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: "The restore check lists and downloads the archived dumps (read only)",
  });
  new RoleAssignment(stack, "postgres-restore-check-reads-secret", {
    scope: props.targetSecretId,
    roleDefinitionName: "Key Vault Secrets User",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: "The restore check reads the backup server's administrator password only",
  });
  return { clientId: identity.clientId };
}
