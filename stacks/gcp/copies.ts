/**
 * The copies of the AWS primary that GCP keeps: the Cloud SQL instance follows the primary through
 * Database Migration Service over the private link, and Storage Transfer Service copies the primary
 * bucket into the GCS object bucket. Both read the primary's data contract; the replication
 * password is read from Secrets Manager at plan time and handed to the connection profile, never
 * to an output. The stack gains an AWS provider limited to the primary's account. Atlas is
 * refreshed from the primary's DocumentDB by a CronJob on GKE; {@link mongodbRefreshAccess} gives it
 * the copy password in Secret Manager and the IAM binding to read it.
 */
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { GeneratedSecret } from "../../constructs/gcp/generated-secret";
import { MONGODB_REFRESH_NAMESPACE, MONGODB_REFRESH_SERVICE_ACCOUNT } from "../../constructs/kubernetes/mongodb-refresh-job";
import { awsProvider } from "../../constructs/aws/provider";
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { CloudSqlPostgres } from "../../constructs/gcp/cloud-sql-postgres";
import { PostgresReplicaMigration } from "../../constructs/gcp/postgres-replica-migration";
import { S3ToGcsTransfer } from "../../constructs/gcp/s3-transfer";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import type { GcpConfig } from "../../modules/config/clouds/gcp";
import { DataContract } from "../../modules/contracts/layers";
import type { ContractView } from "../../modules/contracts/contract";
import type { LayerStack } from "../../modules/layer-stack";
import { ephemeralSecretsManagerValue } from "../../modules/ephemeral";
import { resourceName } from "../../modules/naming";

/** The primary's data contract as this stack reads it. */
export type PrimaryData = ContractView<typeof DataContract.fields>;

/** Reads the primary's data contract and configures the AWS provider of its account (once per stack). */
export function readPrimary(stack: LayerStack, aws: AwsConfig, primaryData: LayerStack): PrimaryData {
  awsProvider(stack, aws);
  return stack.read(DataContract, primaryData);
}

/** Properties of {@link postgresReplica}. */
export interface PostgresReplicaProps {
  readonly aws: AwsConfig;
  readonly gcp: GcpConfig;
  readonly network: { readonly vpcId: string };
  readonly destination: CloudSqlPostgres;
}

export function postgresReplica(stack: LayerStack, primary: PrimaryData, props: PostgresReplicaProps): PostgresReplicaMigration {
  const secret = new DataAwsSecretsmanagerSecretVersion(stack, "replication-secret", { secretId: primary.postgres_replication_secret_ref });
  const ca = new RdsCaBundle(stack, "rds-ca", props.aws.region);
  return new PostgresReplicaMigration(stack, "postgres-replica", {
    idPrefix: resourceName(stack.env, ["postgres"], 50),
    region: props.gcp.region,
    networkId: props.network.vpcId,
    sourceHost: primary.postgres_endpoint,
    sourcePort: primary.postgres_port,
    sourceUsername: REPLICATION_USER,
    sourcePassword: Fn.lookupNested(Fn.jsondecode(secret.secretString), ["password"]),
    sourceCaCertificate: ca.pem,
    destinationInstanceName: props.destination.instance.name,
    destinationDependsOn: [props.destination.instance, props.destination.appUser],
  });
}

/** What the MongoDB refresh job on GKE reads from this stack's contract. */
export interface MongodbRefreshAccess {
  readonly sourceHost: string;
  /** Secret Manager id of the copy of the DocumentDB copy user's password. */
  readonly sourceSecretId: string;
}

/**
 * What the MongoDB refresh job on GKE (constructs/kubernetes/mongodb-refresh-job.ts) needs: the
 * DocumentDB copy user's password copied from Secrets Manager into Secret Manager (read at plan
 * time: the value is in this stack's state, as the PostgreSQL replication password), and the job's
 * Kubernetes service account (Workload Identity Federation for GKE, no Google service account)
 * allowed to read exactly that secret and the Atlas application password.
 */
export function mongodbRefreshAccess(
  stack: LayerStack,
  primary: PrimaryData,
  props: {
    readonly gcp: GcpConfig;
    readonly kmsKeyId: string;
    readonly atlasPassword: GeneratedSecret;
    readonly projectNumber: string;
    /**
     * The cluster's Workload Identity pool (`<project>.svc.id.goog`), read from the cluster stack's
     * contract: IAM refuses a binding naming the pool before a cluster with Workload Identity has
     * created it ("Identity Pool does not exist"), so reading it orders this stack after the cluster.
     */
    readonly workloadPool: string;
  },
): MongodbRefreshAccess {
  // Read ephemerally and written through secret_data_wo: the password is in neither this stack's plan nor its state.
  const copy = new GeneratedSecret(stack, "mongodb-source-password", {
    secretId: resourceName(stack.env, ["mongodb-source-password"]),
    region: props.gcp.region,
    kmsKeyId: props.kmsKeyId,
    writeOnlyValue: ephemeralSecretsManagerValue(new Construct(stack, "mongodb-copy-secret"), primary.mongodb_copy_secret_ref, "password"),
    version: primary.mongodb_copy_secret_version,
  });
  const principal = mongodbRefreshPrincipal(props.workloadPool, props.projectNumber);
  const readable = { "source-password": copy.secret, "atlas-password": props.atlasPassword.secret };
  for (const [name, secret] of Object.entries(readable)) {
    new SecretManagerSecretIamMember(stack, `mongodb-refresh-reads-${name}`, { secretId: secret.id, role: "roles/secretmanager.secretAccessor", member: principal });
  }
  return { sourceHost: primary.mongodb_endpoint, sourceSecretId: copy.secret.id };
}

/** The IAM principal of the MongoDB refresh job's Kubernetes service account (Workload Identity Federation for GKE). */
export function mongodbRefreshPrincipal(workloadPool: string, projectNumber: string): string {
  return `principal://iam.googleapis.com/projects/${projectNumber}/locations/global/workloadIdentityPools/${workloadPool}/subject/ns/${MONGODB_REFRESH_NAMESPACE}/sa/${MONGODB_REFRESH_SERVICE_ACCOUNT}`;
}

/** The primary bucket, copied hourly into `sinkBucketName`. */
export function objectCopy(stack: LayerStack, primary: PrimaryData, aws: AwsConfig, gcp: GcpConfig, sinkBucketName: string): S3ToGcsTransfer {
  return new S3ToGcsTransfer(stack, "objects-transfer", {
    projectId: gcp.projectId,
    roleName: resourceName(stack.env, ["gcs-transfer"], 64),
    sourceAccountId: aws.accountId,
    sourceRegion: aws.region,
    sourceBucketName: primary.object_bucket_name,
    sinkBucketName,
  });
}
