/**
 * A generated password kept in Secret Manager (replicated in one region, encrypted with a CMEK).
 * The value exists only in Terraform state and in the secret; stacks output the secret's id.
 */
import { Password } from "@cdktf/provider-random/lib/password";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { Construct } from "constructs";

/** Properties for {@link GeneratedSecret}. */
export interface GeneratedSecretProps {
  readonly secretId: string;
  readonly region: string;
  readonly kmsKeyId: string;
  /** @default 32 */
  readonly length?: number;
  /**
   * Store this value instead of a generated password (e.g. an AUTH string the service made).
   * @default a generated password
   */
  readonly value?: string;
}

export class GeneratedSecret extends Construct {
  readonly secret: SecretManagerSecret;
  /** The secret value as a Terraform reference (for the resource that needs it, never an output). */
  readonly value: string;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.value = props.value ?? new Password(this, "password", { length: props.length ?? 32, special: false }).result;
    this.secret = new SecretManagerSecret(this, "secret", {
      secretId: props.secretId,
      replication: { userManaged: { replicas: [{ location: props.region, customerManagedEncryption: { kmsKeyName: props.kmsKeyId } }] } },
    });
    new SecretManagerSecretVersion(this, "version", { secret: this.secret.id, secretData: this.value });
  }
}
