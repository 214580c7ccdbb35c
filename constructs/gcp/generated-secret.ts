/**
 * A generated password kept in Secret Manager (replicated in one region, encrypted with a CMEK).
 * The password is ephemeral and written through `secret_data_wo`, so it is in neither plan nor
 * state: only in the secret and in the write-only argument of the resource that needs it. A value
 * given instead (`value`) is stored through `secret_data` and so is in state. Stacks output the
 * secret's id.
 */
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { Construct } from "constructs";
import { ephemeralPassword } from "../../modules/ephemeral";

/** Properties for {@link GeneratedSecret}. */
export interface GeneratedSecretProps {
  readonly secretId: string;
  readonly region: string;
  readonly kmsKeyId: string;
  /** @default 32 */
  readonly length?: number;
  /**
   * Store this value instead of a generated password (e.g. an AUTH string the service made). It
   * is written through `secret_data` and so kept in state.
   * @default an ephemeral generated password, written through `secret_data_wo`
   */
  readonly value?: string;
  /**
   * Store this ephemeral value instead (e.g. a secret of another cloud read by an ephemeral
   * resource), through `secret_data_wo` with {@link version}: never in plan or state. Raise the
   * version (pass the source's) to write a new value.
   */
  readonly writeOnlyValue?: string;
  /**
   * Version of the generated password: raising it makes the next apply write a new password into
   * the secret and into every write-only argument fed with {@link GeneratedSecret.version}.
   * @default 1
   */
  readonly version?: number;
}

export class GeneratedSecret extends Construct {
  readonly secret: SecretManagerSecret;
  /**
   * The secret value as a Terraform reference, never an output. For a generated password it is
   * ephemeral: only write-only arguments (`*_wo`, with `*_wo_version` set to {@link version}) take it.
   */
  readonly value: string;
  /** The version to pass to the write-only arguments' `*_wo_version` together with {@link value}. */
  readonly version: number;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    this.version = props.version ?? 1;
    this.secret = new SecretManagerSecret(this, "secret", {
      secretId: props.secretId,
      replication: { userManaged: { replicas: [{ location: props.region, customerManagedEncryption: { kmsKeyName: props.kmsKeyId } }] } },
    });
    if (props.writeOnlyValue !== undefined) {
      this.value = props.writeOnlyValue;
      new SecretManagerSecretVersion(this, "version", { secret: this.secret.id, secretDataWo: this.value, secretDataWoVersion: this.version });
    } else if (props.value !== undefined) {
      this.value = props.value;
      new SecretManagerSecretVersion(this, "version", { secret: this.secret.id, secretData: this.value });
    } else {
      this.value = ephemeralPassword(this, { length: props.length });
      new SecretManagerSecretVersion(this, "version", { secret: this.secret.id, secretDataWo: this.value, secretDataWoVersion: this.version });
    }
  }
}
