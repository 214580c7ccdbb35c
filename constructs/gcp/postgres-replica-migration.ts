/**
 * A continuous replica of an external PostgreSQL primary in an existing Cloud SQL instance, through
 * Google's Database Migration Service: a source connection profile (the primary's private host
 * over the cross-cloud link, TLS with the server certificate verified against the primary's CA), a
 * destination profile naming the Cloud SQL instance, and a CONTINUOUS migration job with VPC-peering
 * connectivity (the Cloud SQL instance subscribes with pglogical from its private address).
 *
 * What Terraform cannot do here, and the runbook in docs/data-across-clouds.md does: the provider
 * creates the job without starting it (`gcloud database-migration migration-jobs start`), and
 * promotes nothing (`... promote`). The source password is an input-only API field the pinned
 * google provider (6.50) has no write-only variant of, so it is kept in this stack's state.
 */
import { DatabaseMigrationServiceConnectionProfile } from "@cdktf/provider-google/lib/database-migration-service-connection-profile";
import { DatabaseMigrationServiceMigrationJob } from "@cdktf/provider-google/lib/database-migration-service-migration-job";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** Properties for {@link PostgresReplicaMigration}. */
export interface PostgresReplicaMigrationProps {
  /** Prefix of the profile and job ids (lowercase letters, digits, '-'). */
  readonly idPrefix: string;
  readonly region: string;
  /** Id (`projects/<p>/global/networks/<n>`) of the VPC the Cloud SQL instance peers with. */
  readonly networkId: string;
  /** The primary's host name, resolved and reached over the private link. */
  readonly sourceHost: string;
  readonly sourcePort: number;
  readonly sourceUsername: string;
  /** The replication user's password, as a reference (never a literal). */
  readonly sourcePassword: string;
  /** PEM of the CA (bundle) that signed the primary's server certificate. */
  readonly sourceCaCertificate: string;
  /** Name of the existing Cloud SQL instance that becomes the replica. */
  readonly destinationInstanceName: string;
  /** What must exist before the destination profile (the instance and its users). */
  readonly destinationDependsOn?: readonly ITerraformDependable[];
}

export class PostgresReplicaMigration extends Construct {
  readonly source: DatabaseMigrationServiceConnectionProfile;
  readonly destination: DatabaseMigrationServiceConnectionProfile;
  readonly job: DatabaseMigrationServiceMigrationJob;

  constructor(scope: Construct, id: string, props: PostgresReplicaMigrationProps) {
    super(scope, id);
    // Cloud SQL lives in Google's producer network behind the private-service-access peering; it
    // reaches the primary over the routes the GCP gateway stack exports into that peering
    // (stacks/interconnect, which a replica role requires: modules/config/data-roles.ts).
    this.source = new DatabaseMigrationServiceConnectionProfile(this, "source", {
      location: props.region,
      connectionProfileId: `${props.idPrefix}-source`,
      displayName: `PostgreSQL primary ${props.sourceHost}`,
      postgresql: {
        host: props.sourceHost,
        port: props.sourcePort,
        username: props.sourceUsername,
        password: props.sourcePassword,
        // SERVER_ONLY: TLS, and the server's certificate must chain to this CA.
        ssl: { type: "SERVER_ONLY", caCertificate: props.sourceCaCertificate },
      },
    });
    this.destination = new DatabaseMigrationServiceConnectionProfile(this, "destination", {
      location: props.region,
      connectionProfileId: `${props.idPrefix}-destination`,
      displayName: `Cloud SQL ${props.destinationInstanceName} (replica)`,
      postgresql: { cloudSqlId: props.destinationInstanceName },
      dependsOn: props.destinationDependsOn ? [...props.destinationDependsOn] : undefined,
    });
    this.job = new DatabaseMigrationServiceMigrationJob(this, "job", {
      location: props.region,
      migrationJobId: `${props.idPrefix}-replica`,
      displayName: `Continuous replica of ${props.sourceHost}`,
      type: "CONTINUOUS",
      source: this.source.name,
      destination: this.destination.name,
      vpcPeeringConnectivity: { vpc: props.networkId },
    });
  }
}
