/**
 * The PostgreSQL backup copy on Azure: the backup server is refreshed from the AWS primary by a
 * CronJob on AKS (constructs/kubernetes/postgres-refresh-job.ts, in the platform stack). This
 * stack gives that job what it needs: the primary's replication password copied from Secrets
 * Manager into the data Key Vault (read ephemerally, written write-only, never output), and a user-assigned identity
 * federated to the job's service account on the cluster's OIDC issuer, allowed to read the vault's
 * secrets and to write the dumps into an immutable container of the objects account (time-based
 * retention: 35 days, locked in production, so not even the account's owners can delete a dump early).
 * The Cosmos DB copy of the primary's DocumentDB gets the same from {@link mongodbRefreshAccess}
 * (its own identity, secrets and `mongodb-dumps` container), and the copy of the primary's objects
 * its two identities from {@link objectsCopyAccess}.
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Construct } from "constructs";
import { awsProvider } from "../../constructs/aws/provider";
import { ServiceRole, serviceAccountTrust } from "../../constructs/aws/service-role";
import type { SecureKeyVault } from "../../constructs/azure/key-vault";
import type { SecureStorageAccount } from "../../constructs/azure/storage-account";
import { OBJECTS_COPY_AWS_AUDIENCE, OBJECTS_COPY_NAMESPACE, OBJECTS_COPY_SERVICE_ACCOUNT } from "../../constructs/kubernetes/objects-copy-job";
import { REFRESH_NAMESPACE, REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/postgres-refresh-job";
import { MONGODB_REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/mongodb-refresh-job";
import type { CosmosdbAccount } from "@cdktf/provider-azurerm/lib/cosmosdb-account";
import type { ContractView } from "../../modules/contracts/contract";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import { AzureClusterContract, DataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { ephemeralSecretsManagerValue } from "../../modules/ephemeral";
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

/** The primary's data contract and the AKS cluster's contract, read once per stack. */
type Sources = { primary: ContractView<typeof DataContract.fields>; cluster: ContractView<typeof AzureClusterContract.fields> };
const sources = new WeakMap<LayerStack, Sources>();

/**
 * What every copy path of this stack reads: the primary's and the cluster's contracts (a second
 * read would declare the same remote state twice), with the AWS provider of the primary's account
 * configured once.
 */
function readSources(stack: LayerStack, props: { aws: AwsConfig; primaryData: LayerStack; clusterStack: LayerStack }): Sources {
  let read = sources.get(stack);
  if (!read) {
    awsProvider(stack, props.aws);
    read = { primary: stack.read(DataContract, props.primaryData), cluster: stack.read(AzureClusterContract, props.clusterStack) };
    sources.set(stack, read);
  }
  return read;
}

/** What the copy paths of this stack are given: the primary's account and stacks, the cluster, the vault and objects account, the place. */
export interface CopyAccessProps {
  readonly aws: AwsConfig;
  readonly primaryData: LayerStack;
  readonly clusterStack: LayerStack;
  readonly vault: SecureKeyVault;
  readonly objects: SecureStorageAccount;
  readonly place: { resourceGroupName: string; location: string };
}

export function postgresRefreshAccess(
  stack: LayerStack,
  props: CopyAccessProps,
): PostgresRefreshAccess {
  const { primary, cluster } = readSources(stack, props);
  // Read ephemerally and written through value_wo: the password is in neither this stack's plan nor its state.
  const source = ephemeralSecretsManagerValue(new Construct(stack, "replication-secret"), primary.postgres_replication_secret_ref, "password");
  props.vault.copiedSecret("postgres-source", SOURCE_SECRET_NAME, source, primary.postgres_replication_secret_version);
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
    dumpsContainerId: job.dumpsContainerId,
    oidcIssuerUrl: cluster.oidc_issuer_url,
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
    /**
     * Resource ids of the only secrets the job may read (Key Vault Secrets User on each).
     * @default every secret of the vault
     */
    readonly readsSecrets?: Record<string, string>;
  },
): { clientId: string; dumpsUrl: string; dumpsContainerId: string } {
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
  const readScopes = props.readsSecrets ? Object.entries(props.readsSecrets).map(([name, id]) => [`${job}-reads-${name}`, id]) : [[`${job}-reads-secrets`, props.vault.vault.id]];
  for (const [id, scope] of readScopes) {
    new RoleAssignment(stack, id, {
      scope,
      roleDefinitionName: "Key Vault Secrets User",
      principalId: identity.principalId,
      principalType: "ServicePrincipal",
      description: props.readsWhat,
    });
  }
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
  return { clientId: identity.clientId, dumpsUrl: `${props.objects.account.primaryBlobEndpoint}${dumps.name}`, dumpsContainerId: dumps.resourceManagerId };
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
 * DocumentDB copy user's password copied from Secrets Manager into the data vault (read
 * ephemerally and written write-only, as the PostgreSQL one: not in this stack's state), the Cosmos DB account's
 * MongoDB connection string in the same vault (it carries the account key, an attribute of the
 * account that is in this stack's state anyway), and the job's identity with its own immutable
 * `mongodb-dumps` container.
 */
export function mongodbRefreshAccess(
  stack: LayerStack,
  props: CopyAccessProps & { cosmos: CosmosdbAccount },
): MongodbRefreshAccess {
  const { primary, cluster } = readSources(stack, props);
  const source = ephemeralSecretsManagerValue(new Construct(stack, "mongodb-copy-secret"), primary.mongodb_copy_secret_ref, "password");
  const sourceSecret = props.vault.copiedSecret("mongodb-source", MONGODB_SOURCE_SECRET_NAME, source, primary.mongodb_copy_secret_version);
  const targetSecret = props.vault.storedSecret("mongodb-target", MONGODB_TARGET_SECRET_NAME, props.cosmos.primaryMongodbConnectionString);
  const job = refreshJobIdentity(stack, {
    ...props,
    oidcIssuerUrl: cluster.oidc_issuer_url,
    engine: "mongodb",
    serviceAccount: MONGODB_REFRESH_SERVICE_ACCOUNT,
    readsWhat: "The MongoDB refresh job reads the DocumentDB copy password and the Cosmos DB connection string",
    keepsWhat: "The MongoDB refresh job keeps every archive in the immutable container",
    // Its two secrets only: the connection string carries the Cosmos DB account key, and the vault
    // also holds the PostgreSQL passwords, which this job has no use for.
    readsSecrets: { "source-password": sourceSecret.resourceVersionlessId, "connection-string": targetSecret.resourceVersionlessId },
  });
  return {
    sourceHost: primary.mongodb_endpoint,
    sourceSecretName: MONGODB_SOURCE_SECRET_NAME,
    targetSecretName: MONGODB_TARGET_SECRET_NAME,
    clientId: job.clientId,
    dumpsUrl: job.dumpsUrl,
  };
}

/** What the objects copy job (constructs/kubernetes/objects-copy-job.ts) needs from this stack. */
export interface ObjectsCopyAccess {
  readonly sourceBucket: string;
  readonly roleArn: string;
  readonly clientId: string;
  readonly account: string;
  readonly container: string;
}

/**
 * The two identities of the objects copy job, both bound to exactly its service account on the AKS
 * OIDC issuer: in the primary's AWS account an IAM OIDC provider for that issuer and a role that
 * may only list and read the primary bucket (decrypting through S3 only, as the GCS transfer's
 * role); in Azure a user-assigned identity with Storage Blob Data Contributor on the objects
 * container alone (the account keeps versions and soft-deletes, constructs/azure/storage-account.ts).
 *
 * The issuer URL is used verbatim (AKS's ends in "/", and so does its tokens' `iss`): IAM matches
 * the token's issuer against the provider's URL, and the trust policy's condition keys are that URL
 * without the scheme. No thumbprint: `thumbprint_list` is optional in the pinned provider (6.25)
 * and IAM verifies the issuer's public certificate against its own trusted CAs.
 */
export function objectsCopyAccess(
  stack: LayerStack,
  props: Omit<CopyAccessProps, "vault">,
): ObjectsCopyAccess {
  const { primary, cluster } = readSources(stack, props);
  const subject = `system:serviceaccount:${OBJECTS_COPY_NAMESPACE}:${OBJECTS_COPY_SERVICE_ACCOUNT}`;
  const issuer = new IamOpenidConnectProvider(stack, "aks-oidc-provider", {
    url: cluster.oidc_issuer_url,
    clientIdList: [OBJECTS_COPY_AWS_AUDIENCE],
  });
  const bucketArn = `arn:aws:s3:::${primary.object_bucket_name}`;
  // S3 is reached from the cluster's NAT address only (the path the job's traffic takes): a token
  // or session leaked out of the cluster cannot read the bucket from elsewhere.
  const fromCluster = { IpAddress: { "aws:SourceIp": `${cluster.egress_ip}/32` } };
  const role = new ServiceRole(stack, "objects-copy-role", {
    roleName: resourceName(stack.env, ["azure-objects-copy"], 64),
    description: `The AKS objects copy job (${subject}) reads the primary bucket`,
    assumeRolePolicy: serviceAccountTrust(stack, "objects-copy-trust", issuer.arn, cluster.oidc_issuer_url, OBJECTS_COPY_NAMESPACE, OBJECTS_COPY_SERVICE_ACCOUNT),
    statements: [
      { Sid: "ListTheBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn, Condition: fromCluster },
      { Sid: "ReadItsObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/*`, Condition: fromCluster },
      {
        // The bucket is SSE-KMS: decrypt with the account's keys, and only on S3's behalf (S3 calls
        // KMS, so the caller's address is not the condition here).
        Sid: "DecryptThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: `arn:aws:kms:${props.aws.region}:${props.aws.accountId}:key/*`,
        Condition: { StringEquals: { "kms:ViaService": `s3.${props.aws.region}.amazonaws.com` } },
      },
    ],
  });
  const identity = new UserAssignedIdentity(stack, "objects-copy-identity", {
    ...props.place,
    name: resourceName(stack.env, ["objects-copy"], 128),
  });
  new FederatedIdentityCredential(stack, "objects-copy-federation", {
    name: `${OBJECTS_COPY_NAMESPACE}-${OBJECTS_COPY_SERVICE_ACCOUNT}`,
    resourceGroupName: props.place.resourceGroupName,
    parentId: identity.id,
    issuer: cluster.oidc_issuer_url,
    subject,
    audience: ["api://AzureADTokenExchange"],
  });
  new RoleAssignment(stack, "objects-copy-writes-objects", {
    scope: props.objects.container.resourceManagerId,
    roleDefinitionName: "Storage Blob Data Contributor",
    principalId: identity.principalId,
    principalType: "ServicePrincipal",
    description: "The objects copy job writes the primary's objects into the versioned container",
  });
  return {
    sourceBucket: primary.object_bucket_name,
    roleArn: role.arn,
    clientId: identity.clientId,
    account: props.objects.account.name,
    container: props.objects.container.name,
  };
}
