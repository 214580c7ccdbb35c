/** The GCP slice: every secure default the issue asks for, asserted so a snapshot update cannot drop it. */
import { nativeStateStore } from "../../modules/backends";
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson, TerraformJson } from "../support/synth";

const production = shippedEnvironment("production");
const staging = shippedEnvironment("staging");
const synth = (env: typeof production, layer: string) => synthJson(stackOf([env], `${env.name}-gcp-${layer}`));
const byName = (json: TerraformJson, type: string, name: string) => Object.values(resourcesOf(json, type)).find((r: any) => r.name === name) as any;

describe("production-gcp-bootstrap", () => {
  const json = synth(production, "bootstrap");
  const bucket = byName(json, "google_storage_bucket", nativeStateStore(production, "gcp").bucket);

  test("creates the state bucket the backends resolve, with uniform access and public access prevention", () => {
    expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: "enforced" });
  });
  test("versions state, keeps noncurrent versions a year, and encrypts with its CMEK", () => {
    expect(bucket.versioning).toEqual({ enabled: true });
    expect(bucket.lifecycle_rule[0].condition.days_since_noncurrent_time).toBe(365);
    expect(bucket.encryption.default_kms_key_name).toMatch(/google_kms_crypto_key\.state-key_\w+\.id/);
  });
  test("logs access and survives a destroy", () => {
    expect(bucket.logging.log_bucket).toMatch(/state-access-logs_bucket/);
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
  });
  test("lets the GCS service agent use the key, and only that role", () => {
    const member = onlyResource(json, "google_kms_crypto_key_iam_member");
    expect(member.role).toBe("roles/cloudkms.cryptoKeyEncrypterDecrypter");
    expect(member.member).toMatch(/@gs-project-accounts\.iam\.gserviceaccount\.com$/);
  });
  test("keys rotate every 90 days and are never destroyed", () => {
    const key = onlyResource(json, "google_kms_crypto_key");
    expect(key.rotation_period).toBe("7776000s");
    expect(key.lifecycle.prevent_destroy).toBe(true);
  });
});

describe("production-gcp-network", () => {
  const json = synth(production, "network");
  test("is a custom-mode VPC", () => {
    expect(onlyResource(json, "google_compute_network").auto_create_subnetworks).toBe(false);
  });
  test("the node subnet has pod and service ranges, Private Google Access and flow logs", () => {
    const subnet = onlyResource(json, "google_compute_subnetwork");
    expect(subnet.ip_cidr_range).toBe("10.20.0.0/20");
    expect(subnet.secondary_ip_range.map((r: any) => r.ip_cidr_range)).toEqual(["10.21.0.0/16", "10.22.0.0/20"]);
    expect(subnet.private_ip_google_access).toBe(true);
    expect(subnet.log_config.metadata).toBe("INCLUDE_ALL_METADATA");
  });
  test("egress goes through Cloud NAT on a Cloud Router", () => {
    expect(onlyResource(json, "google_compute_router_nat").source_subnetwork_ip_ranges_to_nat).toBe("LIST_OF_SUBNETWORKS");
  });
  test("reserves the private service access range and peers it with service networking", () => {
    const range = onlyResource(json, "google_compute_global_address");
    expect(range).toMatchObject({ purpose: "VPC_PEERING", address: "10.22.16.0", prefix_length: 20 });
    expect(onlyResource(json, "google_service_networking_connection").service).toBe("servicenetworking.googleapis.com");
  });
  test("denies ingress by default and admits only in-VPC traffic and health checks, all logged", () => {
    const rules = Object.values(resourcesOf(json, "google_compute_firewall")) as any[];
    const deny = rules.find((r) => r.deny);
    expect(deny).toMatchObject({ priority: 65534, source_ranges: ["0.0.0.0/0"] });
    for (const allow of rules.filter((r) => r.allow)) expect(allow.source_ranges).not.toContain("0.0.0.0/0");
    expect(rules.find((r) => r.name.endsWith("allow-health-checks")).source_ranges).toEqual(["35.191.0.0/16", "130.211.0.0/22"]);
    for (const rule of rules) expect(rule.log_config.metadata).toBe("INCLUDE_ALL_METADATA");
  });
});

describe("production-gcp-cluster", () => {
  const json = synth(production, "cluster");
  const gke = onlyResource(json, "google_container_cluster");
  const pools = Object.values(resourcesOf(json, "google_container_node_pool")) as any[];

  test("is regional with private nodes and a private endpoint when no networks are authorized", () => {
    expect(gke.location).toBe("us-central1");
    expect(gke.private_cluster_config).toMatchObject({ enable_private_nodes: true, enable_private_endpoint: true, master_ipv4_cidr_block: "10.22.32.0/28" });
    expect(gke.master_authorized_networks_config.cidr_blocks).toEqual([]);
  });
  test("authorized networks from config open the endpoint to those networks only", () => {
    const env = shippedEnvironment("production", (input) => {
      input.clouds.gcp!.cluster.masterAuthorizedCidrs = ["203.0.113.0/24"];
    });
    const open = onlyResource(synth(env, "cluster"), "google_container_cluster");
    expect(open.private_cluster_config.enable_private_endpoint).toBe(false);
    expect(open.master_authorized_networks_config.cidr_blocks).toEqual([{ cidr_block: "203.0.113.0/24", display_name: "allowlist 203.0.113.0/24" }]);
  });
  test("follows a release channel with workload identity", () => {
    expect(gke.release_channel.channel).toBe("REGULAR");
    expect(gke.workload_identity_config.workload_pool).toBe("addtocloud-production.svc.id.goog");
  });
  test("runs Dataplane V2 and encrypts secrets with Cloud KMS", () => {
    expect(gke.datapath_provider).toBe("ADVANCED_DATAPATH");
    expect(gke.database_encryption.state).toBe("ENCRYPTED");
    expect(gke.database_encryption.key_name).toMatch(/google_kms_crypto_key\.cluster-key_\w+\.id/);
  });
  test("logs control-plane and workload components and runs managed Prometheus", () => {
    expect(gke.logging_config.enable_components).toEqual(expect.arrayContaining(["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]));
    expect(gke.monitoring_config.managed_prometheus.enabled).toBe(true);
  });
  test("has no default node pool, shielded nodes and deletion protection in production", () => {
    expect(gke.remove_default_node_pool).toBe(true);
    expect(gke.enable_shielded_nodes).toBe(true);
    expect(gke.deletion_protection).toBe(true);
    expect(onlyResource(synth(staging, "cluster"), "google_container_cluster").deletion_protection).toBe(false);
  });
  test("standard and spot pools autoscale within config bounds, auto-repair and auto-upgrade", () => {
    const byName = Object.fromEntries(pools.map((p) => [p.name, p]));
    expect(byName.standard.autoscaling).toEqual({ min_node_count: 1, max_node_count: 5 });
    expect(byName.spot.autoscaling).toEqual({ min_node_count: 0, max_node_count: 10 });
    expect(byName.spot.node_config.spot).toBe(true);
    for (const pool of pools) expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
  });
  test("nodes are shielded, use the GKE metadata server and a dedicated service account", () => {
    for (const pool of pools) {
      expect(pool.node_config.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_integrity_monitoring: true });
      expect(pool.node_config.workload_metadata_config.mode).toBe("GKE_METADATA");
      expect(pool.node_config.service_account).toMatch(/google_service_account\.gke_node-sa/);
      expect(pool.node_config.boot_disk_kms_key).toMatch(/google_kms_crypto_key/);
    }
  });
  test("the node service account holds only logging, monitoring and image-pull roles", () => {
    const roles = (Object.values(resourcesOf(json, "google_project_iam_member")) as any[]).map((m) => m.role).sort();
    expect(roles).toEqual([
      "roles/artifactregistry.reader", "roles/autoscaling.metricsWriter", "roles/logging.logWriter",
      "roles/monitoring.metricWriter", "roles/monitoring.viewer", "roles/stackdriver.resourceMetadata.writer",
    ]);
  });
  test("publishes the cluster contract with the workload identity pool", () => {
    expect(json.output?.workload_identity_pool.value).toBe("addtocloud-production.svc.id.goog");
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["cluster_name", "cluster_endpoint", "cluster_ca_certificate", "oidc_issuer_url"]));
  });
});

describe("production-gcp-data", () => {
  const json = synth(production, "data");
  const instances = Object.values(resourcesOf(json, "google_sql_database_instance")) as any[];
  const primary = instances.find((i) => !i.master_instance_name);

  test("Cloud SQL has a private IP only and requires TLS", () => {
    expect(primary.settings.ip_configuration.ipv4_enabled).toBe(false);
    expect(primary.settings.ip_configuration.ssl_mode).toBe("TRUSTED_CLIENT_CERTIFICATE_REQUIRED");
  });
  test("Cloud SQL is regional HA in production (its Cloud SQL read replica comes back after promotion: replica.test.ts), zonal in staging", () => {
    expect(primary.settings.availability_type).toBe("REGIONAL");
    const stagingInstances = Object.values(resourcesOf(synth(staging, "data"), "google_sql_database_instance")) as any[];
    expect(stagingInstances).toHaveLength(1);
    expect(stagingInstances[0].settings.availability_type).toBe("ZONAL");
  });
  test("Cloud SQL keeps backups with point-in-time recovery and deletion protection, encrypted with CMEK", () => {
    expect(primary.settings.backup_configuration).toMatchObject({ enabled: true, point_in_time_recovery_enabled: true });
    expect(primary.settings.backup_configuration.backup_retention_settings.retained_backups).toBe(30);
    expect(primary).toMatchObject({ deletion_protection: true, lifecycle: { prevent_destroy: true } });
    expect(primary.settings.deletion_protection_enabled).toBe(true);
    expect(primary.encryption_key_name).toMatch(/google_kms_crypto_key\.data-key_\w+\.id/);
  });
  test("Cloud SQL sets the CIS logging flags", () => {
    const flags = Object.fromEntries(primary.settings.database_flags.map((f: any) => [f.name, f.value]));
    expect(flags).toMatchObject({ log_checkpoints: "on", log_connections: "on", log_disconnections: "on", log_lock_waits: "on", log_min_duration_statement: "-1", log_temp_files: "0" });
  });
  test("the application password is generated ephemerally into Secret Manager and the user through write-only arguments; only its id is output", () => {
    const user = onlyResource(json, "google_sql_user");
    expect(user.password).toBeUndefined();
    expect(user).toMatchObject({ password_wo: expect.stringMatching(/^\$\{ephemeral\.random_password\./), password_wo_version: 1 });
    const versions = Object.values(resourcesOf(json, "google_secret_manager_secret_version")) as any[];
    expect(versions.filter((version) => version.secret_data_wo === user.password_wo)).toHaveLength(1);
    expect(json.output?.postgres_secret_ref.value).toMatch(/google_secret_manager_secret\.\S+\.id/);
    expect(JSON.stringify(json.output)).not.toContain("random_password");
  });
  test("Memorystore is STANDARD_HA with AUTH and TLS over private service access", () => {
    const redis = onlyResource(json, "google_redis_instance");
    expect(redis).toMatchObject({ tier: "STANDARD_HA", auth_enabled: true, transit_encryption_mode: "SERVER_AUTHENTICATION", connect_mode: "PRIVATE_SERVICE_ACCESS" });
    expect(onlyResource(synth(staging, "data"), "google_redis_instance").tier).toBe("BASIC");
  });
  test("MongoDB Atlas runs in the same region with backups, PITR, termination protection, peered to the VPC", () => {
    const atlas = onlyResource(json, "mongodbatlas_advanced_cluster");
    expect(atlas).toMatchObject({ backup_enabled: true, pit_enabled: true, termination_protection_enabled: true });
    expect(atlas.replication_specs[0].region_configs[0]).toMatchObject({ provider_name: "GCP", region_name: "CENTRAL_US" });
    expect(onlyResource(json, "mongodbatlas_network_peering").provider_name).toBe("GCP");
    const access = (Object.values(resourcesOf(json, "mongodbatlas_project_ip_access_list")) as any[]).map((a) => a.cidr_block);
    expect(access).toEqual(["10.20.0.0/20", "10.21.0.0/16"]);
  });
  test("without an Atlas organisation there is no Atlas at all", () => {
    const json = synth(staging, "data");
    expect(resourcesOf(json, "mongodbatlas_advanced_cluster")).toEqual({});
    expect(json.provider?.mongodbatlas).toBeUndefined();
    expect(json.output?.mongodb_endpoint.value).toBe("");
  });
  test("the object bucket is private, versioned, CMEK-encrypted and logged", () => {
    const bucket = byName(json, "google_storage_bucket", "addtocloud-production-objects-addtocloud-production");
    expect(bucket).toMatchObject({ public_access_prevention: "enforced", uniform_bucket_level_access: true, versioning: { enabled: true } });
    expect(bucket.encryption.default_kms_key_name).toMatch(/google_kms_crypto_key\.data-key_\w+\.id/);
    expect(bucket.logging.log_bucket).toBeDefined();
  });
  test("publishes the data role from config", () => {
    expect(json.output?.data_role.value).toBe("replica");
  });
});
