/**
 * The PostgreSQL backup copy on Azure: the backup server is refreshed from the AWS primary by a
 * CronJob on AKS (constructs/kubernetes/postgres-refresh-job.ts, in the platform stack). This
 * stack gives that job what it needs: the primary's replication password copied from Secrets
 * Manager into the data Key Vault (read at plan time, never output), and a user-assigned identity
 * federated to the job's service account on the cluster's OIDC issuer, allowed to read the vault's
 * secrets and to write the dumps into an immutable container of the objects account (time-based
 * retention: 35 days, locked in production, so not even the account's owners can delete a dump early).
 * The Cosmos DB copy of the primary's DocumentDB gets the same from {@link mongodbRefreshAccess}
 * (its own identity, secrets and `mongodb-dumps` container).
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
import { MONGODB_REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/mongodb-refresh-job";
import type { CosmosdbAccount } from "@cdktf/provider-azurerm/lib/cosmosdb-account";
import type { Contract, ContractView, Fields } from "../../modules/contracts/contract";
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
}

/** Contracts read once per stack (a second read would declare the same remote state twice). */
const reads = new WeakMap<LayerStack, Map<string, unknown>>();
function readOnce<F extends Fields>(stack: LayerStack, contract: Contract<F>, producer: LayerStack): ContractView<F> {
  let byProducer = reads.get(stack);
  if (!byProducer) reads.set(stack, (byProducer = new Map()));
  if (!byProducer.has(producer.node.id)) byProducer.set(producer.node.id, stack.read(contract, producer));
  return byProducer.get(producer.node.id) as ContractView<F>;
}
const readPrimaryOnce = (stack: LayerStack, primaryData: LayerStack) => readOnce(stack, DataContract, primaryData);
/** The AWS provider of the primary's account, configured once per stack. */
function primaryAccount(stack: LayerStack, aws: AwsConfig): void {
  if (!stack.node.tryFindChild("aws")) awsProvider(stack, aws);
}
const readClusterOnce = (stack: LayerStack, clusterStack: LayerStack) => readOnce(stack, AzureClusterContract, clusterStack);

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
  primaryAccount(stack, props.aws);
  const primary = readPrimaryOnce(stack, props.primaryData);
  const cluster = readClusterOnce(stack, props.clusterStack);
  const source = new DataAwsSecretsmanagerSecretVersion(stack, "replication-secret", { secretId: primary.postgres_replication_secret_ref });
  props.vault.storedSecret("postgres-source", SOURCE_SECRET_NAME, Fn.lookupNested(Fn.jsondecode(source.secretString), ["password"]));
  const job = refreshJobIdentity(stack, {
    ...props,
    oidcIssuerUrl: cluster.oidc_issuer_url,
    engine: "postgres",
    serviceAccount: REFRESH_SERVICE_ACCOUNT,
    readsWhat: "The PostgreSQL refresh job reads the source and target passwords",
    keepsWhat: "The PostgreSQL refresh job keeps every dump in the immutable container",
  });
  return {
    sourceHost: primary.postgres_endpoint,
    sourceSecretName: SOURCE_SECRET_NAME,
    clientId: job.clientId,
    dumpsUrl: job.dumpsUrl,
  };
}

/**
 * A refresh job's identity on AKS: a user-assigned identity federated to exactly the job's service
 * account in `data-copies` on the cluster's OIDC issuer, allowed to read the data vault's secrets
 * and to write into its own container `<engine>-dumps` of the objects account, whose time-based
 * retention keeps every dump {@link DUMP_RETENTION_DAYS} days (locked in production, so not even
 * the account's owners can delete a dump early). Resource ids `<engine>-refresh-*`, `<engine>-dumps*`.
 */
function refreshJobIdentity(
  stack: LayerStack,
  props: {
    engine: string;
    serviceAccount: string;
    oidcIssuerUrl: string;
    vault: SecureKeyVault;
    objects: SecureStorageAccount;
    place: { resourceGroupName: string; location: string };
    readsWhat: string;
    keepsWhat: string;
  },
): { clientId: string; dumpsUrl: string } {
  const job = `${props.engine}-refresh`;
  const identity = new UserAssignedIdentity(stack, `${job}-identity`, {
    ...props.place,
    name: resourceName(stack.env, [job], 128),
  });
  new FederatedIdentityCredential(stack, `${job}-federation`, {
    name: `${REFRESH_NAMESPACE}-${props.serviceAccount}`,
    resourceGroupName: props.place.resourceGroupName,
    parentId: identity.id,
    issuer: props.oidcIssuerUrl,
    subject: `system:serviceaccount:${REFRESH_NAMESPACE}:${props.serviceAccount}`,
    audience: ["api://AzureADTokenExchange"],
  });
  new RoleAssignment(stack, `${job}-reads-secrets`, {
    scope: props.vault.vault.id,
    roleDefinitionName: "Key Vault Secrets User",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: props.readsWhat,
  });
  const dumps = new StorageContainer(stack, `${props.engine}-dumps`, {
    name: `${props.engine}-dumps`,
    storageAccountId: props.objects.account.id,
    containerAccessType: "private",
  });
  new StorageContainerImmutabilityPolicy(stack, `${props.engine}-dumps-retention`, {
    storageContainerResourceManagerId: dumps.resourceManagerId,
    immutabilityPeriodInDays: DUMP_RETENTION_DAYS,
    // Locked, the policy can only be lengthened and the container only deleted once empty.
    locked: stack.production,
    protectedAppendWritesEnabled: false,
  });
  new RoleAssignment(stack, `${job}-writes-dumps`, {
    scope: dumps.resourceManagerId,
    roleDefinitionName: "Storage Blob Data Contributor",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: props.keepsWhat,
  });
  return { clientId: identity.clientId, dumpsUrl: `${props.objects.account.primaryBlobEndpoint}${dumps.name}` };
}

/** The Key Vault secrets the MongoDB refresh job reads: the primary's copy password and the Cosmos DB connection string. */
export const MONGODB_SOURCE_SECRET_NAME = "mongodb-source-password";
export const MONGODB_TARGET_SECRET_NAME = "cosmos-mongodb-connection-string";

export interface MongodbRefreshAccess {
  readonly sourceHost: string;
  readonly sourceSecretName: string;
  readonly targetSecretName: string;
  readonly clientId: string;
  readonly dumpsUrl: string;
}

/**
 * What the MongoDB refresh job on AKS needs (constructs/kubernetes/mongodb-refresh-job.ts): the
 * DocumentDB copy user's password copied from Secrets Manager into the data vault (read at plan
 * time: the value is in this stack's state, as the PostgreSQL one), the Cosmos DB account's
 * MongoDB connection string in the same vault (it carries the account key, an attribute of the
 * account that is in this stack's state anyway), and the job's identity with its own immutable
 * `mongodb-dumps` container.
 */
export function mongodbRefreshAccess(
  stack: LayerStack,
  props: {
    aws: AwsConfig;
    primaryData: LayerStack;
    clusterStack: LayerStack;
    vault: SecureKeyVault;
    objects: SecureStorageAccount;
    cosmos: CosmosdbAccount;
    place: { resourceGroupName: string; location: string };
  },
): MongodbRefreshAccess {
  primaryAccount(stack, props.aws);
  const primary = readPrimaryOnce(stack, props.primaryData);
  const cluster = readClusterOnce(stack, props.clusterStack);
  const source = new DataAwsSecretsmanagerSecretVersion(stack, "mongodb-copy-secret", { secretId: primary.mongodb_copy_secret_ref });
  props.vault.storedSecret("mongodb-source", MONGODB_SOURCE_SECRET_NAME, Fn.lookupNested(Fn.jsondecode(source.secretString), ["password"]));
  props.vault.storedSecret("mongodb-target", MONGODB_TARGET_SECRET_NAME, props.cosmos.primaryMongodbConnectionString);
  const job = refreshJobIdentity(stack, {
    ...props,
    oidcIssuerUrl: cluster.oidc_issuer_url,
    engine: "mongodb",
    serviceAccount: MONGODB_REFRESH_SERVICE_ACCOUNT,
    readsWhat: "The MongoDB refresh job reads the DocumentDB copy password and the Cosmos DB connection string",
    keepsWhat: "The MongoDB refresh job keeps every archive in the immutable container",
  });
  return {
    sourceHost: primary.mongodb_endpoint,
    sourceSecretName: MONGODB_SOURCE_SECRET_NAME,
    targetSecretName: MONGODB_TARGET_SECRET_NAME,
    clientId: job.clientId,
    dumpsUrl: job.dumpsUrl,
  };
}
