/** The AWS data stack: every database private, CMK-encrypted, backed up, and reachable only from the nodes. */
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson } from "../support/synth";

const production = synthJson(stackOf([shippedEnvironment("production")], "production-aws-data"));
const staging = synthJson(stackOf([shippedEnvironment("staging")], "staging-aws-data"));
const postgres = onlyResource(production, "aws_db_instance");
const docdb = onlyResource(production, "aws_docdb_cluster");
const redis = onlyResource(production, "aws_elasticache_replication_group");
const CMK = /^\$\{aws_kms_key\.data-key_\w+\.arn\}$/;

describe("production-aws-data PostgreSQL", () => {
  test("is Multi-AZ with deletion protection and kept on destroy", () => {
    expect(postgres).toMatchObject({ multi_az: true, deletion_protection: true, lifecycle: { prevent_destroy: true } });
  });

  test("encrypts storage and Performance Insights with the customer-managed key", () => {
    expect(postgres.storage_encrypted).toBe(true);
    expect(postgres.kms_key_id).toMatch(CMK);
    expect(postgres.performance_insights_enabled).toBe(true);
    expect(postgres.performance_insights_kms_key_id).toMatch(CMK);
  });

  test("keeps 30 days of backups in production, 7 in staging, and a final snapshot", () => {
    expect(postgres.backup_retention_period).toBe(30);
    expect(onlyResource(staging, "aws_db_instance").backup_retention_period).toBe(7);
    expect(postgres.skip_final_snapshot).toBe(false);
    expect(postgres.final_snapshot_identifier).toBe("addtocloud-production-postgres-final");
  });

  test("authenticates with IAM and lets RDS manage the master password in Secrets Manager", () => {
    expect(postgres.iam_database_authentication_enabled).toBe(true);
    expect(postgres.manage_master_user_password).toBe(true);
    expect(postgres.password).toBeUndefined();
    expect(postgres.master_user_secret_kms_key_id).toMatch(CMK);
  });

  test("is private, in the database subnets, and forces TLS", () => {
    expect(postgres.publicly_accessible).toBe(false);
    expect(postgres.db_subnet_group_name).toBe("${data.terraform_remote_state.aws_network.outputs.database_subnet_group_name}");
    const parameters = onlyResource(production, "aws_db_parameter_group").parameter as { name: string; value: string }[];
    expect(parameters).toContainEqual({ name: "rds.force_ssl", value: "1" });
  });

  test("exports its logs and has enhanced monitoring", () => {
    expect(postgres.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    expect(postgres.monitoring_interval).toBe(60);
  });

  test("staging runs a single instance unless config says otherwise", () => {
    expect(onlyResource(staging, "aws_db_instance").multi_az).toBe(false);
  });

  test("pins the major version only, so automatic minor upgrades never turn into a refused downgrade", () => {
    expect(postgres.engine_version).toBe("17");
    expect(postgres.auto_minor_version_upgrade).toBe(true);
    expect(onlyResource(production, "aws_db_parameter_group").family).toBe("postgres17");
  });

  test("exports to log groups created first, encrypted with the data key and kept a year", () => {
    const groups = Object.entries(resourcesOf(production, "aws_cloudwatch_log_group")).filter(([id]) => id.startsWith("postgres_"));
    expect(groups.map(([, g]: [string, any]) => g.name).sort()).toEqual(["/aws/rds/instance/addtocloud-production-postgres/postgresql", "/aws/rds/instance/addtocloud-production-postgres/upgrade"]);
    for (const [id, group] of groups as [string, any][]) {
      expect(group).toMatchObject({ kms_key_id: expect.stringMatching(CMK), retention_in_days: 365 });
      expect(postgres.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
    }
  });
});

describe("production-aws-data DocumentDB", () => {
  test("encrypts with the customer-managed key and exports audit logs", () => {
    expect(docdb.storage_encrypted).toBe(true);
    expect(docdb.kms_key_id).toMatch(CMK);
    expect(docdb.enabled_cloudwatch_logs_exports).toEqual(["audit", "profiler"]);
  });

  test("exports to log groups created first, encrypted with the data key and kept a year", () => {
    const groups = Object.entries(resourcesOf(production, "aws_cloudwatch_log_group")).filter(([id]) => id.startsWith("documentdb_"));
    expect(groups.map(([, g]: [string, any]) => g.name).sort()).toEqual(["/aws/docdb/addtocloud-production-docdb/audit", "/aws/docdb/addtocloud-production-docdb/profiler"]);
    for (const [id, group] of groups as [string, any][]) {
      expect(group).toMatchObject({ kms_key_id: expect.stringMatching(CMK), retention_in_days: 365 });
      expect(docdb.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
    }
  });

  test("requires TLS and enables audit logging in its parameter group", () => {
    const parameters = onlyResource(production, "aws_docdb_cluster_parameter_group").parameter;
    expect(parameters).toEqual(expect.arrayContaining([{ name: "tls", value: "enabled" }, { name: "audit_logs", value: "enabled" }]));
  });

  test("keeps backups, a final snapshot and deletion protection", () => {
    expect(docdb).toMatchObject({ backup_retention_period: 30, skip_final_snapshot: false, deletion_protection: true, lifecycle: { prevent_destroy: true } });
    expect(docdb.manage_master_user_password).toBe(true);
  });

  test("runs the configured number of instances", () => {
    expect(Object.keys(resourcesOf(production, "aws_docdb_cluster_instance"))).toHaveLength(3);
  });
});

describe("production-aws-data Redis", () => {
  test("is multi-AZ with automatic failover in production", () => {
    expect(redis).toMatchObject({ multi_az_enabled: true, automatic_failover_enabled: true, num_cache_clusters: 3 });
  });

  test("encrypts at rest with the customer-managed key and requires TLS in transit", () => {
    expect(redis.at_rest_encryption_enabled).toBe("true");
    expect(redis.kms_key_id).toMatch(CMK);
    expect(redis).toMatchObject({ transit_encryption_enabled: true, transit_encryption_mode: "required" });
  });

  test("authenticates clients through IAM in an RBAC user group, with the default user switched off", () => {
    expect(redis.auth_token).toBeUndefined();
    const users = Object.values(resourcesOf(production, "aws_elasticache_user")) as any[];
    expect(users.find((u) => u.user_name === "default").access_string).toMatch(/^off /);
    expect(users.find((u) => u.user_name !== "default").authentication_mode).toEqual({ type: "iam" });
    expect(redis.user_group_ids).toHaveLength(1);
  });

  test("keeps daily snapshots", () => {
    expect(redis.snapshot_retention_limit).toBeGreaterThanOrEqual(1);
  });
});

describe("production-aws-data networking and objects", () => {
  test("each database admits its port from the cluster's node security group, and other clouds only over the links", () => {
    const groups = Object.values(resourcesOf(production, "aws_security_group")) as any[];
    expect(groups.map((g) => g.ingress[0].from_port).sort()).toEqual([27017, 5432, 6379]);
    for (const group of groups) {
      expect(group.ingress[0].security_groups).toEqual(["${data.terraform_remote_state.aws_cluster.outputs.node_security_group_id}"]);
      expect(group.ingress[0].cidr_blocks ?? []).toEqual([]);
      // PostgreSQL and DocumentDB add the replica and backup clouds' ranges on the same port
      // (__tests__/interconnect/links.test.ts checks the ranges); Redis admits no other cloud.
      for (const rule of group.ingress.slice(1)) {
        expect([rule.from_port, rule.to_port]).toEqual([group.ingress[0].from_port, group.ingress[0].from_port]);
        expect(rule.security_groups ?? []).toEqual([]);
      }
      expect(group.ingress.length).toBe(group.ingress[0].from_port === 6379 ? 1 : 2);
      expect(group.egress).toBeUndefined();
    }
  });

  test("the object bucket is private, versioned and encrypted with the customer-managed key", () => {
    const buckets = resourcesOf(production, "aws_s3_bucket");
    const objectsId = Object.keys(buckets).find((id) => id.startsWith("objects_bucket"))!;
    const ref = `\${aws_s3_bucket.${objectsId}.id}`;
    const part = (type: string) => Object.values(resourcesOf(production, type)).find((r: any) => r.bucket === ref) as any;
    expect(part("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
    expect(part("aws_s3_bucket_versioning").versioning_configuration.status).toBe("Enabled");
    expect(part("aws_s3_bucket_server_side_encryption_configuration").rule[0].apply_server_side_encryption_by_default.kms_master_key_id).toMatch(CMK);
  });

  test("the data contract carries secret references, never secret values", () => {
    const outputs = production.output ?? {};
    expect(outputs.postgres_secret_ref.value).toContain("master_user_secret[0].secret_arn");
    expect(outputs.mongodb_secret_ref.value).toContain("master_user_secret[0].secret_arn");
    expect(outputs.redis_secret_ref.value).toMatch(/aws_elasticache_user\.\S+\.arn/);
    for (const output of Object.values(outputs)) expect(output.sensitive).toBe(false);
  });

  test("disabling DocumentDB and Redis in config removes them and empties their contract outputs", () => {
    const env = shippedEnvironment("staging", (input) => {
      input.clouds.aws!.data = { ...input.clouds.aws!.data, documentdb: { enabled: false }, redis: { enabled: false } };
    });
    const json = synthJson(stackOf([env], "staging-aws-data"));
    expect(resourcesOf(json, "aws_docdb_cluster")).toEqual({});
    expect(resourcesOf(json, "aws_elasticache_replication_group")).toEqual({});
    expect(json.output?.mongodb_endpoint.value).toBe("");
    expect(json.output?.redis_endpoint.value).toBe("");
  });
});
