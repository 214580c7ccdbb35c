/** The DigitalOcean slice: VPC, DOKS, managed databases admitting only the cluster, Spaces, state. */
import { Testing } from "cdktf";
import { EnvironmentConfig, EnvironmentInput } from "../../modules/config/environment";
import { DataContract } from "../../modules/contracts/layers";
import { buildStacks, onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson, synthString } from "../support/synth";

const production = shippedEnvironment("production");
/** Staging with a DigitalOcean cluster added (the shipped staging has none). */
const stagingWithDo = shippedEnvironment("staging", (input: EnvironmentInput) => {
  input.clouds.digitalocean = { region: "ams3", network: { cidr: "10.140.0.0/16" }, cluster: { scaling: { min: 1, desired: 2, max: 3 } } };
});
const synth = (env: EnvironmentConfig, layer: string) => synthJson(stackOf([env], `${env.name}-digitalocean-${layer}`));
const network = synth(production, "network");
const cluster = synth(production, "cluster");
const data = synth(production, "data");
const stagingCluster = synth(stagingWithDo, "cluster");
const stagingData = synth(stagingWithDo, "data");
const databases = (json: typeof data) => Object.values(resourcesOf(json, "digitalocean_database_cluster")) as any[];
const database = (json: typeof data, engine: string) => databases(json).find((db) => db.engine === engine);

describe("network", () => {
  test("a VPC on the range config gives it, in the configured region", () => {
    expect(onlyResource(network, "digitalocean_vpc")).toMatchObject({ ip_range: "10.40.0.0/16", region: "nyc3", name: "addtocloud-production-vpc" });
  });

  test("publishes the common network contract (the VPC is the one private range)", () => {
    expect(Object.keys(network.output!).sort()).toEqual(["database_subnet_ids", "private_subnet_ids", "public_subnet_ids", "region", "vpc_cidr", "vpc_id"]);
    expect(network.output!.public_subnet_ids.value).toEqual([]);
    expect(network.output!.private_subnet_ids.value).toEqual([expect.stringMatching(/^\$\{digitalocean_vpc\.\w+\.id\}$/)]);
  });
});

describe("cluster", () => {
  const doks = onlyResource(cluster, "digitalocean_kubernetes_cluster");

  test("DOKS in the VPC read from the network contract, on the newest patch of the configured minor", () => {
    expect(doks.vpc_uuid).toBe("${data.terraform_remote_state.digitalocean_network.outputs.vpc_id}");
    expect(doks.version).toMatch(/^\$\{data\.digitalocean_kubernetes_versions\.\w+\.latest_version\}$/);
    // No minor in config: the creation-time version stays, DOKS patches it.
    expect(doks.lifecycle.ignore_changes).toEqual(["version"]);
    const pinned = shippedEnvironment("production", (input) => {
      input.clouds.digitalocean!.cluster.kubernetesVersion = "1.35";
    });
    const json = synth(pinned, "cluster");
    expect(Object.values(json.data!.digitalocean_kubernetes_versions)[0]).toMatchObject({ version_prefix: "1.35." });
    // A configured minor is followed: changing it must show in the plan.
    expect(onlyResource(json, "digitalocean_kubernetes_cluster").lifecycle).toBeUndefined();
  });

  test("HA control plane in production, not in staging unless asked", () => {
    expect(doks.ha).toBe(true);
    expect(onlyResource(stagingCluster, "digitalocean_kubernetes_cluster").ha).toBe(false);
  });

  test("automatic upgrades with surge upgrade in the maintenance window", () => {
    expect(doks).toMatchObject({ auto_upgrade: true, surge_upgrade: true, maintenance_policy: { day: "sunday", start_time: "04:00" } });
  });

  test("one autoscaling node pool within the configured bounds", () => {
    expect(doks.node_pool).toMatchObject({ auto_scale: true, min_nodes: 3, max_nodes: 10, size: "s-4vcpu-8gb" });
    expect(doks.node_pool.node_count).toBeUndefined();
  });

  test("the control-plane firewall admits the VPC and the configured allowlist only", () => {
    expect(doks.control_plane_firewall).toEqual({ enabled: true, allowed_addresses: ["10.40.0.0/16"] });
    const opened = shippedEnvironment("production", (input) => {
      input.clouds.digitalocean!.cluster.apiAllowlist = ["203.0.113.0/24"];
    });
    expect(onlyResource(synth(opened, "cluster"), "digitalocean_kubernetes_cluster").control_plane_firewall.allowed_addresses).toEqual(["10.40.0.0/16", "203.0.113.0/24"]);
  });

  test("container registry integration follows config", () => {
    expect(doks.registry_integration).toBe(false);
    const withRegistry = shippedEnvironment("production", (input) => {
      input.clouds.digitalocean!.cluster.registryIntegration = true;
    });
    expect(onlyResource(synth(withRegistry, "cluster"), "digitalocean_kubernetes_cluster").registry_integration).toBe(true);
  });

  test("publishes the cluster contract with the cluster id for doctl, the CA but no kubeconfig or token", () => {
    expect(Object.keys(cluster.output!).sort()).toEqual(["cluster_ca_certificate", "cluster_endpoint", "cluster_id", "cluster_name", "kubernetes_version", "oidc_issuer_url", "region"]);
    expect(cluster.output!.cluster_ca_certificate.value).toMatch(/^\$\{nonsensitive\(digitalocean_kubernetes_cluster\.\w+\.kube_config\[0\]\.cluster_ca_certificate\)\}$/);
    expect(JSON.stringify(cluster.output)).not.toMatch(/raw_config|\.token|client_key/);
  });
});

describe("data", () => {
  test("PostgreSQL with a standby and a read replica in production, single node and no replica in staging", () => {
    expect(database(data, "pg")).toMatchObject({ version: "17", node_count: 2, size: "db-s-2vcpu-4gb" });
    expect(onlyResource(data, "digitalocean_database_replica")).toMatchObject({
      cluster_id: expect.stringMatching(/^\$\{digitalocean_database_cluster\.postgres_cluster_\w+\.id\}$/),
      private_network_uuid: "${data.terraform_remote_state.digitalocean_network.outputs.vpc_id}",
    });
    expect(database(stagingData, "pg").node_count).toBe(1);
    expect(resourcesOf(stagingData, "digitalocean_database_replica")).toEqual({});
  });

  test("MongoDB as a three-node replica set and Valkey with a standby in production", () => {
    expect(database(data, "mongodb")).toMatchObject({ version: "8", node_count: 3 });
    expect(database(data, "valkey")).toMatchObject({ version: "8", node_count: 2 });
    expect(database(stagingData, "mongodb").node_count).toBe(1);
  });

  test("every database is in the VPC, with a maintenance window, and kept on destroy in production", () => {
    expect(databases(data)).toHaveLength(3);
    for (const db of databases(data)) {
      expect(db.private_network_uuid).toBe("${data.terraform_remote_state.digitalocean_network.outputs.vpc_id}");
      expect(db.maintenance_window).toEqual([{ day: "sunday", hour: "05:00:00" }]);
      expect(db.lifecycle).toEqual({ prevent_destroy: true });
    }
    for (const db of databases(stagingData)) expect(db.lifecycle).toBeUndefined();
  });

  test("each database's firewall admits the DOKS cluster and nothing else", () => {
    const firewalls = Object.values(resourcesOf(data, "digitalocean_database_firewall")) as any[];
    const ids = Object.keys(resourcesOf(data, "digitalocean_database_cluster")).map((key) => `\${digitalocean_database_cluster.${key}.id}`);
    expect(firewalls.map((f) => f.cluster_id).sort()).toEqual(ids.sort());
    for (const f of firewalls) expect(f.rule).toEqual([{ type: "k8s", value: "${data.terraform_remote_state.digitalocean_cluster.outputs.cluster_id}" }]);
  });

  test("MongoDB and Valkey can be switched off", () => {
    const lean = shippedEnvironment("production", (input) => {
      input.clouds.digitalocean!.data = { mongodb: { enabled: false }, cache: { enabled: false } };
    });
    const json = synth(lean, "data");
    expect(databases(json).map((db) => db.engine)).toEqual(["pg"]);
    expect(json.output!.mongodb_endpoint.value).toBe("");
    expect(json.output!.redis_secret_ref.value).toBe("");
    // A disabled service publishes the contract's defaults, like a stack planned before its upstream.
    expect(json.output!.mongodb_port.value).toBe(DataContract.fields.mongodb_port.default);
    expect(json.output!.redis_port.value).toBe(DataContract.fields.redis_port.default);
  });

  test("the Spaces bucket is private, versioned, expires old versions and allows CORS only from the edge domain", () => {
    const bucket = onlyResource(data, "digitalocean_spaces_bucket");
    expect(bucket).toMatchObject({ acl: "private", force_destroy: false, versioning: { enabled: true }, region: "nyc3", lifecycle: { prevent_destroy: true } });
    expect(bucket.lifecycle_rule[0]).toMatchObject({ enabled: true, noncurrent_version_expiration: { days: 90 } });
    const cors = onlyResource(data, "digitalocean_spaces_bucket_cors_configuration");
    expect(cors.cors_rule).toHaveLength(1);
    expect(cors.cors_rule[0].allowed_origins).toEqual(["https://addtocloud.tech", "https://www.addtocloud.tech"]);
    expect(cors.cors_rule[0].allowed_methods).toEqual(["GET", "HEAD", "PUT"]);
  });

  test("outputs hosts, ports and ids; credentials stay with the database clusters", () => {
    const out = data.output!;
    expect(out.postgres_endpoint.value).toMatch(/^\$\{digitalocean_database_cluster\.postgres_cluster_\w+\.private_host\}$/);
    expect(out.postgres_secret_ref.value).toMatch(/^\$\{digitalocean_database_cluster\.postgres_cluster_\w+\.urn\}$/);
    expect(out.postgres_replica_endpoint.value).toMatch(/^\$\{digitalocean_database_replica\.\w+\.private_host\}$/);
    expect(out.database_cluster_ids.value).toHaveLength(3);
    expect(out.object_storage_endpoint.value).toBe("https://nyc3.digitaloceanspaces.com");
    expect(JSON.stringify(out)).not.toMatch(/password|\.uri|private_uri/);
    for (const o of Object.values(out)) expect(o.sensitive).toBe(false);
  });
});

describe("state", () => {
  const native = shippedEnvironment("production", (input) => {
    input.state = { type: "native", fallback: "digitalocean" };
  });

  test("no bootstrap stack unless some stack keeps its state in Spaces", () => {
    expect([...buildStacks([production]).stacks.keys()]).not.toContain("production-digitalocean-bootstrap");
  });

  test("native state falling back to DigitalOcean bootstraps a private, versioned Spaces bucket kept on destroy", () => {
    const { stacks } = buildStacks([native]);
    const bootstrap = JSON.parse(Testing.synth(stacks.get("production-digitalocean-bootstrap")!));
    expect(bootstrap.terraform.backend.local).toBeDefined();
    expect(onlyResource(bootstrap, "digitalocean_spaces_bucket")).toMatchObject({
      name: "addtocloud-production-tfstate",
      acl: "private",
      versioning: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
    expect(stacks.get("production-digitalocean-network")!.dependencies).toContain(stacks.get("production-digitalocean-bootstrap"));
    expect(stacks.get("production-cloudflare-edge")!.dependencies).toContain(stacks.get("production-digitalocean-bootstrap"));
  });

  test("DigitalOcean and Cloudflare stacks then use the s3 backend on the Spaces endpoint, with lockfile locking", () => {
    const { stacks } = buildStacks([native]);
    for (const id of ["production-digitalocean-data", "production-cloudflare-edge"]) {
      const s3 = JSON.parse(Testing.synth(stacks.get(id)!)).terraform.backend.s3;
      expect(s3).toMatchObject({
        bucket: "addtocloud-production-tfstate",
        key: `${id}.tfstate`,
        endpoints: { s3: "https://nyc3.digitaloceanspaces.com" },
        region: "us-east-1",
        skip_credentials_validation: true,
        use_lockfile: true,
      });
      expect(s3.encrypt).toBeUndefined();
    }
  });

  test("no DigitalOcean token or Spaces key in any synthesized stack", () => {
    const { stacks } = buildStacks([native]);
    for (const [id, stack] of stacks) {
      if (!id.includes("digitalocean")) continue;
      const json = JSON.parse(synthString(stack));
      expect(json.provider?.digitalocean ?? [{}]).toEqual([{}]);
      expect(JSON.stringify(json)).not.toMatch(/spaces_secret_key|spaces_access_id|"token"/);
    }
  });
});
