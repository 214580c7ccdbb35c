/**
 * The PostgreSQL backup copy on Azure: the backup server is refreshed from the AWS primary by a
 * CronJob on AKS (constructs/kubernetes/postgres-refresh-job.ts, in the platform stack). This
 * stack gives that job what it needs: the primary's replication password copied from Secrets
 * Manager into the data Key Vault (read at plan time, never output), and a user-assigned identity
 * federated to the job's service account on the cluster's OIDC issuer, allowed to read the vault's
 * secrets and to write the dumps into an immutable container of the objects account (time-based
 * retention: 35 days, locked in production, so not even the account's owners can delete a dump early).
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import { StorageContainerImmutabilityPolicy } from "@cdktf/provider-azurerm/lib/storage-container-immutability-policy";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Fn } from "cdktf";
import { awsProvider } from "../../constructs/aws/provider";
import { ServiceRole, serviceAccountTrust } from "../../constructs/aws/service-role";
import type { SecureKeyVault } from "../../constructs/azure/key-vault";
import type { SecureStorageAccount } from "../../constructs/azure/storage-account";
import { OBJECTS_COPY_AWS_AUDIENCE, OBJECTS_COPY_NAMESPACE, OBJECTS_COPY_SERVICE_ACCOUNT } from "../../constructs/kubernetes/objects-copy-job";
import { REFRESH_NAMESPACE, REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/postgres-refresh-job";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import { AzureClusterContract, DataContract } from "../../modules/contracts/layers";
import type { ContractView } from "../../modules/contracts/contract";
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

type Views = { primary: ContractView<typeof DataContract.fields>; cluster: ContractView<typeof AzureClusterContract.fields> };
const views = new WeakMap<LayerStack, Views>();

/**
 * The primary's data contract and the AKS cluster's (its OIDC issuer), read once per stack for
 * every copy path, with the AWS provider of the primary's account configured once.
 */
function readSources(stack: LayerStack, props: { aws: AwsConfig; primaryData: LayerStack; clusterStack: LayerStack }): Views {
  let read = views.get(stack);
  if (!read) {
    awsProvider(stack, props.aws);
    read = { primary: stack.read(DataContract, props.primaryData), cluster: stack.read(AzureClusterContract, props.clusterStack) };
    views.set(stack, read);
  }
  return read;
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
  const { primary, cluster } = readSources(stack, props);
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
  props: {
    aws: AwsConfig;
    primaryData: LayerStack;
    clusterStack: LayerStack;
    objects: SecureStorageAccount;
    place: { resourceGroupName: string; location: string };
  },
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
