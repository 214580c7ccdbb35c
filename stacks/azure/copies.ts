/**
 * The PostgreSQL backup copy on Azure: the backup server is refreshed from the AWS primary by a
 * CronJob on AKS (constructs/kubernetes/postgres-refresh-job.ts, in the platform stack). This
 * stack gives that job what it needs: the primary's replication password copied from Secrets
 * Manager into the data Key Vault (read at plan time, never output), and a user-assigned identity
 * federated to the job's service account on the cluster's OIDC issuer, allowed to read the vault's
 * secrets and to write the dumps into an immutable container of the objects account (time-based
 * retention: 35 days, locked in production, so not even the account's owners can delete a dump early).
 */
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Fn } from "cdktf";
import { awsProvider } from "../../constructs/aws/provider";
import type { SecureKeyVault } from "../../constructs/azure/key-vault";
import type { SecureStorageAccount } from "../../constructs/azure/storage-account";
import { REFRESH_NAMESPACE, REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/postgres-refresh-job";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import { AzureClusterContract, DataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

/** The Key Vault secret the copy of the primary's replication password lives in. */
export const SOURCE_SECRET_NAME = "postgres-source-password";

/** Days every dump is kept unmodifiable. */
export const DUMP_RETENTION_DAYS = 35;

export interface PostgresRefreshAccess {
  readonly sourceHost: string;
  readonly sourceSecretName: string;
  readonly clientId: string;
  /** URL of the dumps container. */
  readonly dumpsUrl: string;
  /** Resource Manager id of the dumps container (the restore check reads it). */
  readonly dumpsContainerId: string;
  /** OIDC issuer of the AKS cluster the jobs run on. */
  readonly oidcIssuerUrl: string;
}

export function postgresRefreshAccess(
  stack: LayerStack,
  props: {
    aws: AwsConfig;
    primaryData: LayerStack;
    clusterStack: LayerStack;
    vault: SecureKeyVault;
    objects: SecureStorageAccount;
    place: { resourceGroupName: string; location: string };
  },
): PostgresRefreshAccess {
  awsProvider(stack, props.aws);
  const primary = stack.read(DataContract, props.primaryData);
  const cluster = stack.read(AzureClusterContract, props.clusterStack);
  const source = new DataAwsSecretsmanagerSecretVersion(stack, "replication-secret", { secretId: primary.postgres_replication_secret_ref });
  props.vault.storedSecret("postgres-source", SOURCE_SECRET_NAME, Fn.lookupNested(Fn.jsondecode(source.secretString), ["password"]));
  const identity = new UserAssignedIdentity(stack, "postgres-refresh-identity", {
    ...props.place,
    name: resourceName(stack.env, ["postgres-refresh"], 128),
  });
  new FederatedIdentityCredential(stack, "postgres-refresh-federation", {
    name: `${REFRESH_NAMESPACE}-${REFRESH_SERVICE_ACCOUNT}`,
    resourceGroupName: props.place.resourceGroupName,
    parentId: identity.id,
    issuer: cluster.oidc_issuer_url,
    subject: `system:serviceaccount:${REFRESH_NAMESPACE}:${REFRESH_SERVICE_ACCOUNT}`,
    audience: ["api://AzureADTokenExchange"],
  });
  new RoleAssignment(stack, "postgres-refresh-reads-secrets", {
    scope: props.vault.vault.id,
    roleDefinitionName: "Key Vault Secrets User",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: "The PostgreSQL refresh job reads the source and target passwords",
  });
  const dumps = new StorageContainer(stack, "postgres-dumps", {
    name: "postgres-dumps",
    storageAccountId: props.objects.account.id,
    containerAccessType: "private",
  });
  new StorageContainerImmutabilityPolicy(stack, "postgres-dumps-retention", {
    storageContainerResourceManagerId: dumps.resourceManagerId,
    immutabilityPeriodInDays: DUMP_RETENTION_DAYS,
    // Locked, the policy can only be lengthened and the container only deleted once empty.
    locked: stack.production,
    protectedAppendWritesEnabled: false,
  });
  new RoleAssignment(stack, "postgres-refresh-writes-dumps", {
    scope: dumps.resourceManagerId,
    roleDefinitionName: "Storage Blob Data Contributor",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: "The PostgreSQL refresh job keeps every dump in the immutable container",
  });
  return {
    sourceHost: primary.postgres_endpoint,
    sourceSecretName: SOURCE_SECRET_NAME,
    clientId: identity.clientId,
    dumpsUrl: `${props.objects.account.primaryBlobEndpoint}${dumps.name}`,
    dumpsContainerId: dumps.resourceManagerId,
    oidcIssuerUrl: cluster.oidc_issuer_url,
  };
}
