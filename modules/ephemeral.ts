/**
 * Ephemeral values (Terraform >= 1.10) for write-only arguments (Terraform >= 1.11): a generated
 * password that never reaches plan or state.
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";

/**
 * The stack an ephemeral block is written into (a stack override: cdktf 0.21 has no class for
 * ephemeral resources) and its block name, `scope`'s path below the stack.
 */
function ephemeralName(scope: Construct): { stack: TerraformStack; name: string } {
  const stack = TerraformStack.of(scope);
  const name = scope.node.path
    .slice(stack.node.path.length + 1)
    .replace(/\//g, "_")
    .replace(/[^A-Za-z0-9_-]/g, "_");
  return { stack, name };
}

/** Properties for {@link ephemeralPassword}. */
export interface EphemeralPasswordProps {
  /** @default 32 */
  readonly length?: number;
}

/**
 * An ephemeral `random_password` (random provider >= 3.7.0; the stack must configure the random
 * provider), generated anew on every run and never stored. Only write-only arguments (`*_wo`) may
 * take it, each with its `*_wo_version`: the provider sends the value only when that version
 * changes, so every argument fed from one password in one apply gets the same value, and a later
 * run's new value is not sent. cdktf 0.21 has no class for ephemeral resources, so the block is a
 * stack override named after `scope`'s path. Returns the reference to the password.
 */
export function ephemeralPassword(scope: Construct, props: EphemeralPasswordProps = {}): string {
  const { stack, name } = ephemeralName(scope);
  // No special characters, like the managed passwords before: they go into connection strings.
  stack.addOverride(`ephemeral.random_password.${name}`, { length: props.length ?? 32, special: false });
  return `\${ephemeral.random_password.${name}.result}`;
}

/**
 * The current value of a Secrets Manager secret as an ephemeral value (hashicorp/aws >= 5.83:
 * ephemeral `aws_secretsmanager_secret_version`), read at plan and apply time and never stored, so
 * a stack that copies a secret into another cloud's store through a write-only argument keeps the
 * value out of its state. The stack must configure the AWS provider of the secret's account. Only
 * write-only arguments take the result; pass the JSON key to read (`password`) to get that field.
 */
export function ephemeralSecretsManagerValue(scope: Construct, secretId: string, jsonKey?: string): string {
  const { stack, name } = ephemeralName(scope);
  stack.addOverride(`ephemeral.aws_secretsmanager_secret_version.${name}`, { secret_id: secretId });
  const value = `ephemeral.aws_secretsmanager_secret_version.${name}.secret_string`;
  return jsonKey ? `\${jsondecode(${value})["${jsonKey}"]}` : `\${${value}}`;
}
