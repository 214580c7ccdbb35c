/**
 * Messaging on every cloud: what each broker admits, how it authenticates and encrypts, the contract
 * every messaging stack publishes, the in-cluster RabbitMQ, and the config errors of the section.
 */
import { parse } from "yaml";
import { environments } from "../../config";
import { EnvironmentInput } from "../../modules/config/environment";
import { MessagingContract } from "../../modules/contracts/layers";
import { buildStacks, onlyResource, resourcesOf, shippedEnvironment, shippedEnvironments, synthJson, TerraformJson } from "../support/synth";
import { configProblems } from "../support/config";

const envs = shippedEnvironments();
const { stacks } = buildStacks(envs);
const messagingIds = [...stacks.values()].filter((s) => s.layer === "messaging").map((s) => s.node.id);
const json = new Map<string, TerraformJson>(messagingIds.map((id) => [id, synthJson(stacks.get(id)!)]));
const stack = (id: string) => {
  const found = json.get(id);
  if (!found) throw new Error(`no messaging stack ${id}; have ${[...json.keys()].join(", ")}`);
  return found;
};

describe("the messaging layer", () => {
  test("every enabled cloud of every shipped environment has a messaging stack", () => {
    const expected = envs.flatMap((env) => Object.keys(env.clouds).map((cloud) => `${env.name}-${cloud}-messaging`));
    expect(messagingIds.sort()).toEqual(expected.sort());
  });

  test.each(messagingIds)("%s publishes every messaging contract output, described and not sensitive", (id) => {
    const outputs = stack(id).output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(MessagingContract.fields).sort());
    for (const output of Object.values(outputs)) {
      expect(output.description).toEqual(expect.any(String));
      expect(output.sensitive ?? false).toBe(false);
    }
    expect(outputs.kafka_bootstrap_servers.value).not.toBe("");
    expect(outputs.amqp_endpoint.value).not.toBe("");
    expect(outputs.kafka_topics.value).toEqual(["orders.events", "audit.log"]);
  });

  test.each(messagingIds)("%s outputs references, never a password or key value", (id) => {
    const outputs = JSON.stringify(stack(id).output ?? {});
    expect(outputs).not.toMatch(/random_password|\.password|primary_key|connection_string|\.uri\b|private_uri/);
  });

  test.each(messagingIds)("%s opens nothing to the internet", (id) => {
    const text = JSON.stringify(stack(id).resource ?? {});
    expect(text).not.toContain("0.0.0.0/0");
    expect(text).not.toMatch(/"publicly_accessible":true|"public_network_access_enabled":true|"type":"SERVICE_PROVIDED_EIPS"/);
  });
});

describe("AWS: MSK and Amazon MQ", () => {
  test.each(["staging", "production"])("%s MSK accepts SASL/IAM over TLS only, encrypts with the CMK and logs to an encrypted group", (env) => {
    const json = stack(`${env}-aws-messaging`);
    const msk = onlyResource(json, "aws_msk_cluster");
    expect(msk.client_authentication).toEqual({ sasl: { iam: true }, unauthenticated: false });
    expect(msk.encryption_info.encryption_in_transit).toEqual({ client_broker: "TLS", in_cluster: true });
    expect(msk.encryption_info.encryption_at_rest_kms_key_arn).toMatch(/^\$\{aws_kms_key\./);
    expect(msk.broker_node_group_info.connectivity_info.public_access.type).toBe("DISABLED");
    expect(msk.open_monitoring.prometheus).toEqual({ jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } });
    expect(msk.logging_info.broker_logs.cloudwatch_logs.enabled).toBe(true);
    const logs = onlyResource(json, "aws_cloudwatch_log_group");
    expect(logs.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(logs.retention_in_days).toBe(365);
    expect(onlyResource(json, "aws_msk_configuration").server_properties).toContain("auto.create.topics.enable=false");
  });

  test("production MSK runs a broker in each of the three zones", () => {
    const msk = onlyResource(stack("production-aws-messaging"), "aws_msk_cluster");
    expect(msk.number_of_broker_nodes).toBe(3);
    expect(msk.broker_node_group_info.instance_type).toBe("kafka.m5.large");
    expect(msk.broker_node_group_info.client_subnets).toBe("${data.terraform_remote_state.aws_network.outputs.private_subnet_ids}");
  });

  test.each(["staging", "production"])("%s brokers admit only the cluster nodes' security group, on their own ports", (env) => {
    const groups = Object.values(resourcesOf(stack(`${env}-aws-messaging`), "aws_security_group")) as any[];
    expect(groups).toHaveLength(2);
    const ports = groups.flatMap((g) => g.ingress.map((rule: any) => [rule.from_port, rule.to_port]));
    expect(ports.sort()).toEqual([[11001, 11002], [5671, 5671], [9098, 9098]].sort());
    for (const rule of groups.flatMap((g) => g.ingress)) {
      expect(rule.security_groups).toEqual(["${data.terraform_remote_state.aws_cluster.outputs.node_security_group_id}"]);
      expect(rule.cidr_blocks ?? []).toEqual([]);
    }
  });

  test("Amazon MQ is private, logs, upgrades minors in its window, and keeps its admin password in Secrets Manager", () => {
    for (const [env, mode] of [["production", "CLUSTER_MULTI_AZ"], ["staging", "SINGLE_INSTANCE"]] as const) {
      const json = stack(`${env}-aws-messaging`);
      const mq = onlyResource(json, "aws_mq_broker");
      expect(mq).toMatchObject({ engine_type: "RabbitMQ", publicly_accessible: false, deployment_mode: mode, auto_minor_version_upgrade: true, logs: { general: true } });
      expect(mq.maintenance_window_start_time).toEqual({ day_of_week: "SUNDAY", time_of_day: "05:00", time_zone: "UTC" });
      expect(mq.user[0].password).toMatch(/^\$\{random_password\./);
      const secret = onlyResource(json, "aws_secretsmanager_secret");
      expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(json.output!.amqp_secret_ref.value).toMatch(/^\$\{aws_secretsmanager_secret\..*\.arn\}$/);
    }
  });
});

describe("GCP: Managed Service for Apache Kafka", () => {
  test.each(["staging", "production"])("%s Kafka sits in the nodes' subnet, encrypted with a CMEK granted to its service agent first", (env) => {
    const json = stack(`${env}-gcp-messaging`);
    const kafka = onlyResource(json, "google_managed_kafka_cluster");
    expect(kafka.gcp_config.access_config.network_configs).toEqual([{ subnet: "${data.terraform_remote_state.gcp_network.outputs.nodes_subnet_id}" }]);
    expect(kafka.gcp_config.kms_key).toMatch(/^\$\{google_kms_crypto_key\./);
    const grant = onlyResource(json, "google_kms_crypto_key_iam_member");
    expect(grant.member).toMatch(/@gcp-sa-managedkafka\.iam\.gserviceaccount\.com$/);
    expect(kafka.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\./)]);
  });

  test("topics carry their partitions and retention", () => {
    const topics = Object.values(resourcesOf(stack("production-gcp-messaging"), "google_managed_kafka_topic")) as any[];
    expect(topics.map((t) => [t.topic_id, t.partition_count, t.configs["retention.ms"]]).sort()).toEqual([
      ["audit.log", 3, String(168 * 3_600_000)],
      ["orders.events", 6, String(72 * 3_600_000)],
    ]);
  });
});

describe("Azure: Event Hubs with the Kafka endpoint", () => {
  const json = stack("production-azure-messaging");

  test("the namespace is Premium, Entra ID only, closed to public networks, reached through a private endpoint", () => {
    const ns = onlyResource(json, "azurerm_eventhub_namespace");
    expect(ns).toMatchObject({ sku: "Premium", local_authentication_enabled: false, public_network_access_enabled: false, minimum_tls_version: "1.2" });
    const endpoints = Object.values(resourcesOf(json, "azurerm_private_endpoint")) as any[];
    const endpoint = endpoints.find((e) => e.private_service_connection.subresource_names[0] === "namespace");
    expect(endpoint.private_dns_zone_group.private_dns_zone_ids[0]).toMatch(/^\$\{azurerm_private_dns_zone\./);
    expect(onlyResource(json, "azurerm_private_dns_zone").name).toBe("privatelink.servicebus.windows.net");
  });

  test("the customer-managed key is applied after the identity's grant on the key", () => {
    const cmk = onlyResource(json, "azurerm_eventhub_namespace_customer_managed_key");
    const grants = resourcesOf(json, "azurerm_role_assignment");
    const grantName = Object.keys(grants).find((name) => grants[name].role_definition_name === "Key Vault Crypto Service Encryption User")!;
    expect(cmk.depends_on).toEqual([`azurerm_role_assignment.${grantName}`]);
    expect(cmk.infrastructure_encryption_enabled).toBe(true);
  });

  test("each topic is an event hub with its partitions and retention", () => {
    const hubs = Object.values(resourcesOf(json, "azurerm_eventhub")) as any[];
    expect(hubs.map((h) => [h.name, h.partition_count, h.retention_description]).sort()).toEqual([
      ["audit.log", 3, { cleanup_policy: "Delete", retention_time_in_hours: 168 }],
      ["orders.events", 6, { cleanup_policy: "Delete", retention_time_in_hours: 72 }],
    ]);
  });
});

describe("DigitalOcean: managed Kafka", () => {
  const json = stack("production-digitalocean-messaging");

  test("Kafka runs three nodes in the VPC and its firewall admits only the DOKS cluster", () => {
    const kafka = onlyResource(json, "digitalocean_database_cluster");
    expect(kafka).toMatchObject({ engine: "kafka", node_count: 3, private_network_uuid: "${data.terraform_remote_state.digitalocean_network.outputs.vpc_id}" });
    expect(onlyResource(json, "digitalocean_database_firewall").rule).toEqual([{ type: "k8s", value: "${data.terraform_remote_state.digitalocean_cluster.outputs.cluster_id}" }]);
  });

  test("topics delete after their retention", () => {
    const topics = Object.values(resourcesOf(json, "digitalocean_database_kafka_topic")) as any[];
    expect(topics.map((t) => [t.name, t.partition_count, t.config[0].cleanup_policy, t.config[0].retention_ms]).sort()).toEqual([
      ["audit.log", 3, "delete", String(168 * 3_600_000)],
      ["orders.events", 6, "delete", String(72 * 3_600_000)],
    ]);
  });
});

describe("RabbitMQ in the clusters (GCP, Azure, DigitalOcean)", () => {
  const platform = (id: string) => synthJson(stacks.get(id)!);
  const release = (json: TerraformJson, name: string) => (Object.values(resourcesOf(json, "helm_release")) as any[]).find((r) => r.name === name);
  const inCluster = envs.flatMap((env) => Object.keys(env.clouds).filter((c) => c !== "aws").map((cloud) => [`${env.name}-${cloud}-platform`, env.stage]));

  test("AWS clusters run no RabbitMQ of their own (Amazon MQ serves them)", () => {
    for (const env of envs) expect(release(platform(`${env.name}-aws-platform`), "rabbitmq-cluster")).toBeUndefined();
  });

  test.each(inCluster)("%s runs the pinned operator and a TLS-only, persistent, zone-spread RabbitmqCluster", (id, stage) => {
    const json = platform(id);
    const operator = release(json, "rabbitmq-cluster-operator");
    expect(operator).toMatchObject({ chart: "rabbitmq-cluster-operator", version: "4.3.3", repository: "oci://registry-1.docker.io/bitnamicharts" });
    const values = parse(operator.values[0]);
    expect(values.clusterOperator.image.repository).toBe("rabbitmqoperator/cluster-operator");
    const resources = parse(release(json, "rabbitmq-cluster").values[0]).resources as any[];
    const cluster = resources.find((r) => r.kind === "RabbitmqCluster");
    expect(cluster.spec.replicas).toBe(stage === "production" ? 3 : 1);
    expect(cluster.spec.tls).toEqual({ secretName: "rabbitmq-tls", disableNonTLSListeners: true });
    expect(cluster.spec.persistence.storage).toBe("20Gi");
    expect(cluster.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe("topology.kubernetes.io/zone");
    expect(resources.find((r) => r.kind === "PodDisruptionBudget").spec.maxUnavailable).toBe(1);
    expect(resources.find((r) => r.kind === "ServiceMonitor").spec.endpoints[0]).toMatchObject({ port: "prometheus-tls", scheme: "https" });
    expect(resources.filter((r) => r.kind === "Vhost").map((r) => r.spec.name)).toEqual(["addtocloud"]);
    expect(resources.find((r) => r.kind === "Policy").spec).toMatchObject({ vhost: "addtocloud", pattern: ".*", definition: { "max-length": 100000 } });
  });

  test("in-cluster RabbitMQ without cert-manager stops in the loader with what to change", () => {
    // Vault off too, so RabbitMQ's is the only problem (Vault's certificate also comes from cert-manager).
    expect(problemsOf([production((c) => { c.platform.cloudAddons = { azure: { "cert-manager": false, vault: false } }; })])).toEqual([
      "production.platform.cloudAddons.azure: 'cert-manager' is off but messaging.azure.rabbitmq is on; RabbitMQ's TLS certificates are issued by cert-manager (or set messaging.azure.rabbitmq.enabled: false)",
    ]);
    expect(problemsOf([production((c) => { c.platform.cloudAddons = { azure: { "cert-manager": false, vault: false } }; c.messaging.azure = { rabbitmq: { enabled: false } }; })])).toEqual([]);
  });

  test("turning RabbitMQ off for a cloud removes it from that cluster only", () => {
    const env = shippedEnvironment("production", (c: any) => {
      c.messaging.gcp = { rabbitmq: { enabled: false } };
    });
    const built = buildStacks([env]).stacks;
    const names = (id: string) => (Object.values(resourcesOf(synthJson(built.get(id)!), "helm_release")) as any[]).map((r) => r.name);
    expect(names("production-gcp-platform")).not.toContain("rabbitmq-cluster");
    expect(names("production-azure-platform")).toContain("rabbitmq-cluster");
    expect(synthJson(built.get("production-gcp-messaging")!).output!.amqp_endpoint.value).toBe("");
  });
});

function production(mutate: (input: any) => void): EnvironmentInput {
  const input = structuredClone(environments.find((env) => env.name === "production")!) as any;
  mutate(input);
  return input;
}

const problemsOf = (inputs: unknown[]) => configProblems(inputs);

describe("bad messaging config stops with the field path", () => {
  const topic = (c: any, patch: Record<string, unknown>) => Object.assign(c.messaging.kafka.topics[0], patch);
  const cases: [string, (input: any) => void, string][] = [
    ["a topic with zero partitions", (c) => topic(c, { partitions: 0 }), "production.messaging.kafka.topics[0].partitions: Too small: expected number to be >=1"],
    ["a topic kept longer than a year", (c) => topic(c, { retentionHours: 9000 }), "production.messaging.kafka.topics[0].retentionHours: Too big: expected number to be <=8760"],
    ["a topic name Kafka and Event Hubs refuse", (c) => topic(c, { name: "Orders_Events" }),
      "production.messaging.kafka.topics[0].name: must be 2-128 lowercase letters, digits, '.' and '-', starting with a letter and ending with a letter or digit"],
    ["a topic declared twice", (c) => c.messaging.kafka.topics.push({ name: "orders.events" }), "production.messaging.kafka.topics[2].name: topic 'orders.events' is declared twice"],
    ["more partitions than an Event Hubs Premium event hub has", (c) => topic(c, { partitions: 200 }),
      "production.messaging.kafka.topics[0].partitions: 200 exceeds the 100 partitions of an Event Hubs Premium event hub (Azure)"],
    ["longer retention than Event Hubs Standard keeps", (c) => { c.messaging.azure = { kafka: { sku: "Standard" } }; c.messaging.kafka.topics = [{ name: "audit.log", retentionHours: 720 }]; },
      "production.messaging.kafka.topics[0].retentionHours: 720 exceeds the 168 hours Event Hubs Standard keeps events (Azure)"],
    ["an Event Hubs Premium capacity that does not exist", (c) => { c.messaging.azure = { kafka: { capacity: 3 } }; },
      "production.messaging.azure.kafka.capacity: 3 is not a Premium capacity; use one of 1, 2, 4, 8, 16"],
    ["fewer partitions than DigitalOcean Kafka allows", (c) => topic(c, { partitions: 2 }),
      "production.messaging.kafka.topics[0].partitions: 2 is below the 3 partitions DigitalOcean managed Kafka requires"],
    ["an MSK broker type AWS does not offer", (c) => { c.messaging.aws = { kafka: { instanceType: "kafka.m5.huge" } }; },
      'production.messaging.aws.kafka.instanceType: Invalid option: expected one of "kafka.t3.small"|"kafka.m5.large"|"kafka.m5.xlarge"|"kafka.m5.2xlarge"|"kafka.m5.4xlarge"|"kafka.m7g.large"|"kafka.m7g.xlarge"|"kafka.m7g.2xlarge"|"kafka.m7g.4xlarge"'],
    ["an Amazon MQ cluster on the micro instance", (c) => { c.messaging.aws = { rabbitmq: { instanceType: "mq.t3.micro" } }; },
      "production.messaging.aws.rabbitmq.instanceType: mq.t3.micro runs only as SINGLE_INSTANCE; a CLUSTER_MULTI_AZ broker needs mq.m5.large or larger"],
    ["a DigitalOcean Kafka size that is not offered", (c) => { c.messaging.digitalocean = { kafka: { size: "s-1vcpu-1gb" } }; },
      'production.messaging.digitalocean.kafka.size: Invalid option: expected one of "db-s-2vcpu-2gb"|"db-s-2vcpu-4gb"|"gd-2vcpu-8gb"|"gd-4vcpu-16gb"|"gd-8vcpu-32gb"|"gd-16vcpu-64gb"'],
    ["a Kafka engine version DigitalOcean does not run", (c) => { c.messaging.digitalocean = { kafka: { version: "2.8" } }; },
      'production.messaging.digitalocean.kafka.version: Invalid option: expected one of "3.7"|"3.8"'],
    ["GCP Kafka memory outside 1-8 GiB per vCPU", (c) => { c.messaging.gcp = { kafka: { vcpuCount: 3, memoryGib: 30 } }; },
      "production.messaging.gcp.kafka.memoryGib: 30 GiB is outside 1-8 GiB per vCPU for 3 vCPUs (3-24)"],
    ["an even number of RabbitMQ nodes", (c) => { c.messaging.azure = { rabbitmq: { replicas: 2 } }; },
      "production.messaging.azure.rabbitmq.replicas: must be 1, 3, 5 or 7 (an odd count keeps a quorum)"],
    ["a policy without settings", (c) => { c.messaging.rabbitmq.vhosts[0].policies[0].definition = {}; },
      "production.messaging.rabbitmq.vhosts[0].policies[0].definition: must set at least one key"],
  ];

  test.each(cases)("%s", (_what, mutate, message) => {
    expect(problemsOf([production(mutate)])).toEqual([message]);
  });

  test("the shipped topics fit every cloud, so any cloud can be enabled in any environment", () => {
    const everywhere = (name: string) => {
      const input = structuredClone(environments.find((env) => env.name === name)!) as any;
      const prod = environments.find((env) => env.name === "production")! as any;
      input.clouds = { ...prod.clouds, ...input.clouds, azure: { ...prod.clouds.azure, network: { cidr: "10.130.0.0/16" } }, digitalocean: { ...prod.clouds.digitalocean, network: { cidr: "10.140.0.0/16" } } };
      input.messaging.azure = { kafka: { sku: "Standard" } };
      return input;
    };
    expect(problemsOf([everywhere("staging")])).toEqual([]);
  });

  test("a cloud's limits apply only where the cloud runs Kafka", () => {
    expect(problemsOf([production((c) => { c.messaging.digitalocean = { kafka: { enabled: false } }; c.messaging.kafka.topics[0].partitions = 2; })])).toEqual([]);
  });
});
