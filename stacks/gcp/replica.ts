/**
 * The PostgreSQL replica on GCP: the Cloud SQL instance of the data stack follows the AWS primary
 * through Database Migration Service over the private link. Reads the primary's data contract for
 * the host and the replication secret's ARN; the password itself is read from Secrets Manager at
 * plan time and handed to the connection profile, never to an output.
 */
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { Fn } from "cdktf";
import { awsProvider } from "../../constructs/aws/provider";
import { RdsCaBundle } from "../../constructs/aws/rds-ca-bundle";
import { REPLICATION_USER } from "../../constructs/aws/replication-credentials";
import type { CloudSqlPostgres } from "../../constructs/gcp/cloud-sql-postgres";
import { PostgresReplicaMigration } from "../../constructs/gcp/postgres-replica-migration";
import type { AwsConfig } from "../../modules/config/clouds/aws";
import type { GcpConfig } from "../../modules/config/clouds/gcp";
import { DataContract } from "../../modules/contracts/layers";
import type { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

/** Properties of {@link postgresReplica}. */
export interface PostgresReplicaProps {
  readonly aws: AwsConfig;
  readonly gcp: GcpConfig;
  /** The primary's data stack (its contract carries the host and the secret's ARN). */
  readonly primaryData: LayerStack;
  readonly network: { readonly vpcId: string; readonly networkName: string };
  readonly destination: CloudSqlPostgres;
}

export function postgresReplica(stack: LayerStack, props: PostgresReplicaProps): PostgresReplicaMigration {
  const primary = stack.read(DataContract, props.primaryData);
  // Read-only use of the primary's account: one secret value (the AWS provider refuses other accounts).
  awsProvider(stack, props.aws);
  const secret = new DataAwsSecretsmanagerSecretVersion(stack, "replication-secret", { secretId: primary.postgres_replication_secret_ref });
  const ca = new RdsCaBundle(stack, "rds-ca", props.aws.region);
  return new PostgresReplicaMigration(stack, "postgres-replica", {
    idPrefix: resourceName(stack.env, ["postgres"], 50),
    region: props.gcp.region,
    networkId: props.network.vpcId,
    networkName: props.network.networkName,
    sourceHost: primary.postgres_endpoint,
    sourcePort: primary.postgres_port,
    sourceUsername: REPLICATION_USER,
    sourcePassword: Fn.lookupNested(Fn.jsondecode(secret.secretString), ["password"]),
    sourceCaCertificate: ca.pem,
    destinationInstanceName: props.destination.instance.name,
    destinationDependsOn: [props.destination.instance, props.destination.appUser],
  });
}
