/**
 * The PostgreSQL replica on GCP: in every shipped environment whose GCP data role is replica, the
 * Cloud SQL instance follows the AWS primary through a CONTINUOUS Database Migration Service job
 * whose source is the primary's endpoint (from its data contract), over TLS verified against the
 * RDS CA bundle, with the replication password read from Secrets Manager and never output. The
 * promoted shape (GCP primary) has no migration and gets back its own database and read replica.
 */
import { onlyResource, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson, TerraformJson } from "../support/synth";

const replicaEnvs = shippedEnvironments().filter((env) => env.clouds.gcp?.data.role === "replica");

function gcpData(name: string, mutate?: (input: any) => void): TerraformJson {
  return synthJson(stackOf([shippedEnvironment(name, mutate)], `${name}-gcp-data`));
}

test("both shipped environments have a GCP replica", () => {
  expect(replicaEnvs.map((env) => env.name)).toEqual(["staging", "production"]);
});

describe.each(replicaEnvs.map((env) => [env.name, env] as const))("%s-gcp-data replicates the AWS primary", (name, env) => {
  const json = gcpData(name);
  const profiles = Object.values(resourcesOf(json, "google_database_migration_service_connection_profile")) as any[];
  const source = profiles.find((p) => p.postgresql.host);
  const destination = profiles.find((p) => p.postgresql.cloud_sql_id);
  const job = onlyResource(json, "google_database_migration_service_migration_job");

  test("a CONTINUOUS migration job from the source profile to the destination profile, peered with the VPC", () => {
    expect(job.type).toBe("CONTINUOUS");
    expect(job.source).toMatch(/^\$\{google_database_migration_service_connection_profile\.postgres-replica_source_\w+\.name\}$/);
    expect(job.destination).toMatch(/^\$\{google_database_migration_service_connection_profile\.postgres-replica_destination_\w+\.name\}$/);
    expect(job.vpc_peering_connectivity).toEqual({ vpc: "${data.terraform_remote_state.gcp_network.outputs.vpc_id}" });
  });

  test("the source is the primary's endpoint from the AWS data contract, as the replication user", () => {
    expect(source.postgresql).toMatchObject({
      host: "${data.terraform_remote_state.aws_data.outputs.postgres_endpoint}",
      port: "${data.terraform_remote_state.aws_data.outputs.postgres_port}",
      username: "addtocloud_replication",
    });
    expect(json.data?.terraform_remote_state?.aws_data).toBeDefined();
  });

  test("TLS verifies the server against the RDS CA bundle of the primary's region", () => {
    expect(source.postgresql.ssl.type).toBe("SERVER_ONLY");
    const bundle = Object.entries(json.data?.http ?? {})[0] as [string, any];
    expect(bundle[1].url).toBe(`https://truststore.pki.rds.amazonaws.com/${env.clouds.aws!.region}/${env.clouds.aws!.region}-bundle.pem`);
    expect(source.postgresql.ssl.ca_certificate).toBe(`\${data.http.${bundle[0]}.response_body}`);
  });

  test("the password is read from the primary's Secrets Manager secret, never written, never output", () => {
    // The PostgreSQL replication secret (the MongoDB copy's is read beside it, __tests__/platform/mongodb-refresh.test.ts).
    const [secretId, secret] = Object.entries(json.data?.aws_secretsmanager_secret_version ?? {}).find(([id]) => id === "replication-secret") as [string, any];
    expect(secret.secret_id).toBe("${data.terraform_remote_state.aws_data.outputs.postgres_replication_secret_ref}");
    expect(source.postgresql.password).toBe(`\${jsondecode(data.aws_secretsmanager_secret_version.${secretId}.secret_string).password}`);
    for (const output of Object.values(json.output ?? {})) expect(JSON.stringify(output.value)).not.toMatch(/aws_secretsmanager_secret_version|secret_string|secret_data|random_password/);
  });

  test("the destination is the stack's own Cloud SQL instance, left without user databases and read replicas", () => {
    const instances = resourcesOf(json, "google_sql_database_instance");
    expect(Object.keys(instances)).toHaveLength(1);
    expect(destination.postgresql.cloud_sql_id).toMatch(/^\$\{google_sql_database_instance\.postgres_primary_\w+\.name\}$/);
    expect(resourcesOf(json, "google_sql_database")).toEqual({});
    const instance = Object.values(instances)[0] as any;
    expect(instance.settings.ip_configuration.ipv4_enabled).toBe(false);
    expect(instance.encryption_key_name).toBeDefined();
    expect(instance.deletion_protection).toBe(true);
    expect(instance.settings.backup_configuration.enabled).toBe(true);
  });

  test("Cloud SQL reaches the primary over the routes the GCP gateway exports into the service-networking peering (once, not in the data stack)", () => {
    expect(resourcesOf(json, "google_compute_network_peering_routes_config")).toEqual({});
    const gateway = synthJson(stackOf([shippedEnvironment(name)], `${name}-gcp-gateway`));
    expect(onlyResource(gateway, "google_compute_network_peering_routes_config")).toMatchObject({
      peering: "servicenetworking-googleapis-com",
      export_custom_routes: true,
      import_custom_routes: false,
    });
  });

  test("the data contract names the source stack and reports the job's state", () => {
    expect(json.output?.replication_source.value).toBe(`${name}-aws-data`);
    expect(json.output?.replication_status.value).toMatch(/^\$\{google_database_migration_service_migration_job\.[\w-]+\.state\}$/);
  });
});

describe("the promoted shape: GCP primary, the old primary standalone", () => {
  const promote = (c: any) => {
    c.clouds.gcp.data.role = "primary";
    c.clouds.aws.data.role = "standalone";
    if (c.clouds.azure) c.clouds.azure.data.role = "standalone";
  };
  const json = gcpData("production", promote);
  const aws = synthJson(stackOf([shippedEnvironment("production", promote)], "production-aws-data"));

  test("no migration, no AWS provider or secret read on GCP; its own database and read replica are back", () => {
    expect(resourcesOf(json, "google_database_migration_service_migration_job")).toEqual({});
    expect(resourcesOf(json, "google_database_migration_service_connection_profile")).toEqual({});
    expect(json.data?.aws_secretsmanager_secret_version).toBeUndefined();
    expect(Object.keys(json.terraform.required_providers)).not.toContain("aws");
    expect(Object.keys(resourcesOf(json, "google_sql_database"))).toHaveLength(1);
    expect(Object.keys(resourcesOf(json, "google_sql_database_instance"))).toHaveLength(2);
    expect(json.output?.replication_status.value).toBe("primary");
    expect(json.output?.replication_source.value).toBe("");
  });

  test("the old primary stops preparing replication and admits no other cloud", () => {
    const parameters = onlyResource(aws, "aws_db_parameter_group").parameter.map((p: any) => p.name);
    expect(parameters).not.toContain("rds.logical_replication");
    expect(resourcesOf(aws, "aws_secretsmanager_secret")).toEqual({});
    expect(aws.output?.replication_status.value).toBe("standalone");
  });
});
