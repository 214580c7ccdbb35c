/**
 * What the production guards check, per Terraform resource type. Attribute names are Terraform's
 * (snake_case), read from the resource as it will be synthesized. Add a resource type here when a
 * construct starts creating a new kind of stateful resource.
 */

/** The attributes of one resource as synthesized, with `lifecycle` if set. */
export type Attributes = Record<string, unknown>;

export type PolicyKind = "encryption" | "public-access" | "deletion-protection";

export interface PolicyRule {
  readonly kind: PolicyKind;
  /** Terraform resource types the rule applies to. */
  readonly types: readonly string[];
  /** True when the resource complies. */
  readonly complies: (attributes: Attributes) => boolean;
  /** What is wrong, for the error annotation. */
  readonly problem: string;
}

/** Reads a nested attribute; single nested blocks synthesize as objects or one-element lists. */
export function attribute(attributes: Attributes, path: readonly string[]): unknown {
  let current: unknown = attributes;
  for (const key of path) {
    if (Array.isArray(current)) current = current[0];
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const isTrue = (value: unknown) => value === true || value === "true";
const isFalse = (value: unknown) => value === false || value === "false";
const preventsDestroy = (a: Attributes) => isTrue(attribute(a, ["lifecycle", "prevent_destroy"]));

export const POLICY_RULES: readonly PolicyRule[] = [
  // Storage encrypted at rest.
  {
    kind: "encryption",
    types: ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster"],
    complies: (a) => isTrue(a.storage_encrypted),
    problem: "storage is not encrypted (storage_encrypted must be true)",
  },
  {
    kind: "encryption",
    types: ["aws_elasticache_replication_group"],
    complies: (a) => isTrue(a.at_rest_encryption_enabled),
    problem: "storage is not encrypted (at_rest_encryption_enabled must be true)",
  },
  {
    kind: "encryption",
    types: ["aws_ebs_volume", "aws_efs_file_system"],
    complies: (a) => isTrue(a.encrypted),
    problem: "storage is not encrypted (encrypted must be true)",
  },
  // Databases never publicly reachable.
  {
    kind: "public-access",
    types: ["aws_db_instance", "aws_rds_cluster_instance", "aws_docdb_cluster_instance"],
    complies: (a) => !isTrue(a.publicly_accessible),
    problem: "the database is publicly accessible (publicly_accessible must be false)",
  },
  {
    kind: "public-access",
    types: ["google_sql_database_instance"],
    complies: (a) => isFalse(attribute(a, ["settings", "ip_configuration", "ipv4_enabled"])),
    problem: "the database has a public IP (settings.ip_configuration.ipv4_enabled must be false)",
  },
  {
    kind: "public-access",
    types: ["azurerm_postgresql_flexible_server", "azurerm_cosmosdb_account", "azurerm_redis_cache", "azurerm_mssql_server"],
    complies: (a) => isFalse(a.public_network_access_enabled),
    problem: "the database accepts public network access (public_network_access_enabled must be false)",
  },
  // Stateful resources survive a destroy.
  {
    kind: "deletion-protection",
    types: ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster"],
    complies: (a) => isTrue(a.deletion_protection),
    problem: "the database lacks deletion protection (deletion_protection must be true)",
  },
  {
    kind: "deletion-protection",
    types: ["google_sql_database_instance", "google_container_cluster"],
    complies: (a) => !isFalse(a.deletion_protection),
    problem: "deletion protection is off (deletion_protection must not be false)",
  },
  {
    kind: "deletion-protection",
    types: [
      "aws_s3_bucket", "aws_elasticache_replication_group", "aws_kms_key", "aws_dynamodb_table",
      "google_storage_bucket", "google_redis_instance", "google_kms_crypto_key",
      "azurerm_postgresql_flexible_server", "azurerm_cosmosdb_account", "azurerm_redis_cache", "azurerm_storage_account",
      "azurerm_key_vault",
      "digitalocean_database_cluster", "digitalocean_spaces_bucket",
      "mongodbatlas_advanced_cluster", "mongodbatlas_cluster",
      "cloudflare_zone",
    ],
    complies: preventsDestroy,
    problem: "the stateful resource lacks deletion protection (set lifecycle.prevent_destroy)",
  },
];
