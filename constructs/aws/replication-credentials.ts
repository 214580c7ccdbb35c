/**
 * The credentials of a database user that the copies in other clouds log in as (PostgreSQL's
 * replication user; DocumentDB's read-only copy user with `username` and `description`):
 * a generated password kept in Secrets Manager (encrypted with the data CMK), never in an output.
 * The password is ephemeral and written through `secret_string_wo`, so this stack's plan and state
 * never hold it; raising `version` writes a new one (rotation runbook, docs/data-across-clouds.md).
 *
 * Terraform does not create the database user itself: RDS keeps the master password in its own
 * managed secret and this repository has no PostgreSQL provider, so the user is created once with
 * the SQL of docs/data-across-clouds.md ("Prepare the primary"), reading this secret.
 */
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Construct } from "constructs";
import { ephemeralPassword } from "../../modules/ephemeral";

/** The login the copies use on the primary. */
export const REPLICATION_USER = "addtocloud_replication";

/** The login the MongoDB copies (mongodump) use on the primary's DocumentDB: `read` on the application database. */
export const MONGODB_COPY_USER = "addtocloud_copy";

/** Properties for {@link ReplicationCredentials}. */
export interface ReplicationCredentialsProps {
  readonly secretName: string;
  readonly kmsKeyArn: string;
  /**
   * Days Secrets Manager keeps a deleted secret recoverable.
   * @default 30
   */
  readonly recoveryWindowDays?: number;
  /**
   * Version of the write-only secret value: raising it writes a newly generated password.
   * @default 1
   */
  readonly version?: number;
  /**
   * The database user the secret is for.
   * @default REPLICATION_USER
   */
  readonly username?: string;
  /**
   * The secret's description.
   * @default the PostgreSQL replication user's
   */
  readonly description?: string;
}

export class ReplicationCredentials extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** Version of the generated password: the copies in other clouds rewrite theirs when it changes. */
  readonly version: number;

  constructor(scope: Construct, id: string, props: ReplicationCredentialsProps) {
    super(scope, id);
    const username = props.username ?? REPLICATION_USER;
    this.version = props.version ?? 1;
    // No special characters: the password travels through psql, pg_dump and MongoDB connection strings and DMS.
    const password = ephemeralPassword(new Construct(this, "password"), { length: 40 });
    this.secret = new SecretsmanagerSecret(this, "secret", {
      name: props.secretName,
      description: props.description ?? `PostgreSQL user ${REPLICATION_USER}: the copies of the primary in other clouds log in with it`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowDays ?? 30,
    });
    new SecretsmanagerSecretVersion(this, "version", {
      secretId: this.secret.id,
      // The shape of RDS's own managed secrets, so the same tooling reads both.
      // One interpolation: Fn.jsonencode would escape the ephemeral reference into literal text.
      secretStringWo: `\${jsonencode({ "username" = "${username}", "password" = ${password.slice(2, -1)} })}`,
      secretStringWoVersion: this.version,
    });
  }
}
