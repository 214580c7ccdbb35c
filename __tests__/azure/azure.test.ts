/** The Azure slice: state account, VNet with NSGs/NAT/private DNS, private AKS, data behind private endpoints. */
import { dnsServiceIp } from "../../constructs/azure/aks-cluster";
import { EnvironmentConfig } from "../../modules/config/environment";
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson } from "../support/synth";

const production = shippedEnvironment("production");
/** Staging with Azure added (the shipped staging has none). */
const stagingWithAzure = shippedEnvironment("staging", (input) => {
  input.clouds.azure = {
    location: "eastus2",
    subscriptionId: "00000000-0000-0000-0000-000000000011",
    tenantId: "00000000-0000-0000-0000-000000000012",
    network: { cidr: "10.130.0.0/20" },
    cluster: { systemPool: { scaling: { min: 1, desired: 1, max: 2 } }, userPool: { scaling: { min: 1, desired: 1, max: 3 } } },
  };
});
const synth = (env: EnvironmentConfig, layer: string) => synthJson(stackOf([env], `${env.name}-azure-${layer}`));
const bootstrap = synth(production, "bootstrap");
const network = synth(production, "network");
const cluster = synth(production, "cluster");
const data = synth(production, "data");
const stagingCluster = synth(stagingWithAzure, "cluster");
const stagingData = synth(stagingWithAzure, "data");
const all = (json: typeof data, type: string) => Object.values(resourcesOf(json, type)) as any[];
const remote = (output: string) => `\${data.terraform_remote_state.azure_network.outputs.${output}}`;

describe("bootstrap", () => {
  test("a state storage account: TLS 1.2, no public blobs, infrastructure encryption, versioning and soft delete, Entra ID only, kept on destroy", () => {
    const account = onlyResource(bootstrap, "azurerm_storage_account");
    expect(account).toMatchObject({
      name: expect.stringMatching(/^[a-z0-9]{3,24}$/),
      min_tls_version: "TLS1_2",
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      infrastructure_encryption_enabled: true,
      shared_access_key_enabled: false,
      account_replication_type: "GZRS",
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(bootstrap, "azurerm_storage_container")).toMatchObject({ name: "tfstate", container_access_type: "private" });
    expect(account.network_rules).toMatchObject({ default_action: "Allow", ip_rules: [] });
    expect(onlyResource(bootstrap, "azurerm_resource_group").lifecycle).toEqual({ prevent_destroy: true });
    expect(bootstrap.terraform.backend.local).toBeDefined();
  });
});

test("the deploy allowlist limits the state account and admits the runner to the Key Vaults", () => {
  const limited = shippedEnvironment("production", (input) => {
    input.clouds.azure!.deployAllowlist = ["203.0.113.0/24"];
    input.clouds.azure!.keyVaultAccess = "allowlist";
  });
  expect(onlyResource(synth(limited, "bootstrap"), "azurerm_storage_account").network_rules).toMatchObject({ default_action: "Deny", ip_rules: ["203.0.113.0/24"] });
  const vault = onlyResource(synth(limited, "data"), "azurerm_key_vault");
  expect(vault).toMatchObject({ public_network_access_enabled: true, network_acls: { default_action: "Deny", ip_rules: ["203.0.113.0/24"] } });
  const unseal = onlyResource(synthJson(stackOf([limited], "production-azure-platform")), "azurerm_key_vault");
  expect(unseal.network_acls.ip_rules).toEqual(["${data.terraform_remote_state.azure_cluster.outputs.egress_ip}", "203.0.113.0/24"]);
});

describe("network", () => {
  test("a resource group and a VNet carved into nodes, Application Gateway, private endpoints and a delegated PostgreSQL subnet", () => {
    expect(onlyResource(network, "azurerm_virtual_network").address_space).toEqual(["10.30.0.0/16"]);
    const subnets: Record<string, any> = Object.fromEntries(all(network, "azurerm_subnet").map((s) => [s.name.replace("addtocloud-production-", ""), s]));
    expect(Object.fromEntries(Object.entries(subnets).map(([k, s]) => [k, s.address_prefixes[0]]))).toEqual({
      nodes: "10.30.0.0/18",
      appgw: "10.30.64.0/24",
      endpoints: "10.30.65.0/24",
      postgres: "10.30.66.0/24",
    });
    expect(subnets.postgres.delegation[0].service_delegation.name).toBe("Microsoft.DBforPostgreSQL/flexibleServers");
    for (const s of Object.values(subnets)) expect(s.default_outbound_access_enabled).toBe(false);
  });

  test("every subnet has an NSG that ends in deny-all; the internet reaches only HTTPS and the east-west gateway", () => {
    expect(all(network, "azurerm_network_security_group")).toHaveLength(4);
    expect(all(network, "azurerm_subnet_network_security_group_association")).toHaveLength(4);
    const rules = all(network, "azurerm_network_security_rule");
    expect(rules.filter((r) => r.name === "deny-all-inbound" && r.priority === 4096 && r.access === "Deny")).toHaveLength(4);
    // Every rule admitting something from outside the VNet, by subnet (the NSG's name) and ports.
    const outside = rules
      // The overlay pod range (100.64.0.0/16) is the cluster's own, not outside.
      .filter((r) => r.access === "Allow" && !["VirtualNetwork", "AzureLoadBalancer", "100.64.0.0/16"].includes(r.source_address_prefix) && !r.source_address_prefix.startsWith("10."))
      .map((r) => [r.network_security_group_name.match(/_([a-z]+)-nsg_/)[1], r.source_address_prefix, r.destination_port_range ?? r.destination_port_ranges]);
    expect(outside).toEqual(
      expect.arrayContaining([
        ["nodes", "Internet", ["443", "15443"]],
        ["appgw", "GatewayManager", "65200-65535"],
        ["appgw", "Internet", "443"],
      ]),
    );
    expect(outside).toHaveLength(3);
    const postgres = rules.find((r) => r.name === "allow-postgres-from-nodes");
    expect(postgres).toMatchObject({ source_address_prefix: "10.30.0.0/18", destination_port_range: "5432" });
  });

  test("the nodes egress through a NAT gateway with a zone-redundant static IP", () => {
    expect(onlyResource(network, "azurerm_public_ip")).toMatchObject({ sku: "Standard", allocation_method: "Static", zones: ["1", "2", "3"] });
    expect(onlyResource(network, "azurerm_subnet_nat_gateway_association").subnet_id).toMatch(/nodes-subnet/);
  });

  test("private DNS zones for PostgreSQL and each private-endpoint service, linked to the VNet", () => {
    const zones = all(network, "azurerm_private_dns_zone").map((z) => z.name).sort();
    expect(zones).toEqual([
      "addtocloud-production.private.postgres.database.azure.com",
      "privatelink.blob.core.windows.net",
      "privatelink.mongo.cosmos.azure.com",
      "privatelink.redis.cache.windows.net",
      "privatelink.vaultcore.azure.net",
    ]);
    expect(all(network, "azurerm_private_dns_zone_virtual_network_link")).toHaveLength(5);
  });

  test("publishes the common network contract plus the Azure ids the other stacks need", () => {
    expect(Object.keys(network.output!)).toEqual(expect.arrayContaining(["vpc_id", "vpc_cidr", "private_subnet_ids", "database_subnet_ids", "resource_group_name", "postgres_dns_zone_id", "nat_public_ip"]));
  });
});

describe("cluster", () => {
  const aks = onlyResource(cluster, "azurerm_kubernetes_cluster");

  test("private, Entra ID RBAC with local accounts disabled, OIDC issuer and workload identity", () => {
    expect(aks).toMatchObject({
      private_cluster_enabled: true,
      local_account_disabled: true,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, admin_group_object_ids: ["00000000-0000-0000-0000-000000000003"] },
      run_command_enabled: false,
    });
    expect(aks.api_server_access_profile).toBeUndefined();
  });

  test("a public API server only with an allowlist from config", () => {
    const opened = shippedEnvironment("production", (input) => {
      input.clouds.azure!.cluster.apiServerAuthorizedCidrs = ["203.0.113.0/24"];
    });
    const json = onlyResource(synth(opened, "cluster"), "azurerm_kubernetes_cluster");
    expect(json.private_cluster_enabled).toBe(false);
    expect(json.api_server_access_profile.authorized_ip_ranges).toEqual(["203.0.113.0/24"]);
  });

  test("Azure CNI overlay with Cilium network policy, egress through the NAT gateway", () => {
    expect(aks.network_profile).toEqual({
      network_plugin: "azure",
      network_plugin_mode: "overlay",
      network_data_plane: "cilium",
      network_policy: "cilium",
      pod_cidr: "100.64.0.0/16",
      service_cidr: "100.65.0.0/16",
      dns_service_ip: "100.65.0.10",
      outbound_type: "userAssignedNATGateway",
      load_balancer_sku: "standard",
    });
    expect(dnsServiceIp("172.20.0.0/16")).toBe("172.20.0.10");
  });

  test("a system pool and a Standard_D2s_v3 user pool across three zones, autoscaling within config bounds, host encryption", () => {
    expect(aks.default_node_pool).toMatchObject({ vm_size: "Standard_D2s_v3", zones: ["1", "2", "3"], auto_scaling_enabled: true, min_count: 3, max_count: 5, only_critical_addons_enabled: true, host_encryption_enabled: true, vnet_subnet_id: remote("nodes_subnet_id") });
    expect(onlyResource(cluster, "azurerm_kubernetes_cluster_node_pool")).toMatchObject({ mode: "User", vm_size: "Standard_D2s_v3", zones: ["1", "2", "3"], auto_scaling_enabled: true, min_count: 3, max_count: 12, host_encryption_enabled: true });
  });

  test("Key Vault secrets provider, Container Insights, Azure Policy; no Application Gateway ingress controller (AKS refuses it on CNI overlay)", () => {
    expect(aks.key_vault_secrets_provider.secret_rotation_enabled).toBe(true);
    expect(aks.oms_agent).toMatchObject({ log_analytics_workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/), msi_auth_for_monitoring_enabled: true });
    expect(aks.azure_policy_enabled).toBe(true);
    expect(aks.ingress_application_gateway).toBeUndefined();
  });

  test("control-plane logs go to Log Analytics", () => {
    const diagnostics = onlyResource(cluster, "azurerm_monitor_diagnostic_setting");
    expect(diagnostics.enabled_log.map((l: any) => l.category)).toEqual(["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"]);
  });

  test("automatic upgrades in a weekly window; Standard tier and kept on destroy in production only", () => {
    expect(aks).toMatchObject({ automatic_upgrade_channel: "patch", node_os_upgrade_channel: "NodeImage", sku_tier: "Standard" });
    expect(aks.maintenance_window_auto_upgrade).toMatchObject({ frequency: "Weekly", day_of_week: "Sunday", start_time: "04:00", duration: 4 });
    expect(aks.lifecycle.prevent_destroy).toBe(true);
    expect(aks.maintenance_window_node_os).toEqual(aks.maintenance_window_auto_upgrade);
    const staging = onlyResource(stagingCluster, "azurerm_kubernetes_cluster");
    expect(staging.sku_tier).toBe("Free");
    expect(staging.lifecycle.prevent_destroy).toBe(false);
  });

  test("a configured Kubernetes version reaches the plan unless the channel upgrades minors itself", () => {
    expect(aks.lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count"]);
    const stable = shippedEnvironment("production", (input) => {
      input.clouds.azure!.cluster.upgradeChannel = "stable";
    });
    expect(onlyResource(synth(stable, "cluster"), "azurerm_kubernetes_cluster").lifecycle.ignore_changes).toEqual(["default_node_pool[0].node_count", "kubernetes_version"]);
  });

  test("publishes the cluster contract with the public CA but no kubeconfig", () => {
    expect(cluster.output!.cluster_endpoint.value).toMatch(/^https:\/\/\$\{azurerm_kubernetes_cluster\.\w+\.private_fqdn\}:443$/);
    expect(cluster.output!.cluster_ca_certificate.value).toMatch(/^\$\{nonsensitive\(azurerm_kubernetes_cluster\.\w+\.kube_config\[0\]\.cluster_ca_certificate\)\}$/);
    expect(JSON.stringify(cluster.output)).not.toMatch(/kube_admin_config|client_key|password/);
  });
});

describe("data", () => {
  test("PostgreSQL Flexible Server in the delegated subnet: no public access, zone-redundant HA and geo-redundant backups in production", () => {
    const pg = onlyResource(data, "azurerm_postgresql_flexible_server");
    expect(pg).toMatchObject({
      delegated_subnet_id: remote("postgres_subnet_id"),
      private_dns_zone_id: remote("postgres_dns_zone_id"),
      public_network_access_enabled: false,
      high_availability: { mode: "ZoneRedundant" },
      geo_redundant_backup_enabled: true,
      backup_retention_days: 35,
      lifecycle: { prevent_destroy: true },
    });
    expect(pg.administrator_password).toBeUndefined();
    expect(pg).toMatchObject({ administrator_password_wo: expect.stringMatching(/^\$\{ephemeral\.random_password\.[\w-]+\.result\}$/), administrator_password_wo_version: 1 });
    const staging = onlyResource(stagingData, "azurerm_postgresql_flexible_server");
    expect(staging).toMatchObject({ sku_name: "B_Standard_B1ms", geo_redundant_backup_enabled: false, backup_retention_days: 7 });
    expect(staging.high_availability).toBeUndefined();
    const params = Object.fromEntries(all(data, "azurerm_postgresql_flexible_server_configuration").map((c) => [c.name, c.value]));
    expect(params).toMatchObject({ require_secure_transport: "on", log_connections: "on" });
  });

  test("the password is generated into a Key Vault with purge protection; only its reference is output", () => {
    expect(onlyResource(data, "azurerm_key_vault")).toMatchObject({ purge_protection_enabled: true, soft_delete_retention_days: 90, rbac_authorization_enabled: true, public_network_access_enabled: false, network_acls: { default_action: "Deny" } });
    // The other secret is the copy of the primary's replication password (postgres-refresh.test.ts).
    const secret = Object.values(resourcesOf(data, "azurerm_key_vault_secret")).find((s: any) => s.name === "postgres-admin-password") as any;
    expect(secret.value).toBeUndefined();
    expect(secret).toMatchObject({ value_wo: onlyResource(data, "azurerm_postgresql_flexible_server").administrator_password_wo, value_wo_version: 1 });
    expect(data.output!.postgres_secret_ref.value).toMatch(/^\$\{azurerm_key_vault_secret\.[\w-]+\.versionless_id\}$/);
    expect(JSON.stringify(data.output)).not.toMatch(/random_password|primary_key|connection_string|primary_access_key/);
  });

  test("Cosmos DB for MongoDB: no public access, private endpoint, continuous backup, second region and CMK in production", () => {
    const cosmos = onlyResource(data, "azurerm_cosmosdb_account");
    expect(cosmos).toMatchObject({ kind: "MongoDB", public_network_access_enabled: false, backup: { type: "Continuous", tier: "Continuous30Days" }, automatic_failover_enabled: true, minimal_tls_version: "Tls12" });
    expect(cosmos.geo_location).toEqual([
      { location: "eastus", failover_priority: 0, zone_redundant: true },
      { location: "westus", failover_priority: 1, zone_redundant: false },
    ]);
    expect(cosmos.key_vault_key_id).toMatch(/^\$\{azurerm_key_vault_key\.[\w-]+\.versionless_id\}$/);
    expect(onlyResource(stagingData, "azurerm_cosmosdb_account").geo_location).toHaveLength(1);
  });

  test("Azure Cache for Redis: Entra ID only, TLS 1.2, non-TLS port off, no public access, Premium across zones in production", () => {
    expect(onlyResource(data, "azurerm_redis_cache")).toMatchObject({
      sku_name: "Premium",
      zones: ["1", "2", "3"],
      minimum_tls_version: "1.2",
      non_ssl_port_enabled: false,
      public_network_access_enabled: false,
      access_keys_authentication_enabled: false,
      redis_configuration: { active_directory_authentication_enabled: true },
    });
    expect(onlyResource(stagingData, "azurerm_redis_cache").sku_name).toBe("Standard");
  });

  test("Key Vault, Cosmos DB, Redis and the objects account each have a private endpoint in the endpoints subnet", () => {
    const endpoints = all(data, "azurerm_private_endpoint");
    expect(endpoints.map((e) => e.private_service_connection.subresource_names[0]).sort()).toEqual(["MongoDB", "blob", "redisCache", "vault"]);
    for (const e of endpoints) expect(e.subnet_id).toBe(remote("endpoints_subnet_id"));
  });

  test("the objects account is private, encrypted with the vault's key, with a private container", () => {
    const objects = onlyResource(data, "azurerm_storage_account");
    expect(objects).toMatchObject({ public_network_access_enabled: false, network_rules: { default_action: "Deny" }, customer_managed_key: { key_vault_key_id: expect.stringContaining("versionless_id") }, lifecycle: { prevent_destroy: true } });
    // Every container is private: the objects one and the immutable dumps one (postgres-refresh.test.ts).
    for (const container of Object.values(resourcesOf(data, "azurerm_storage_container")) as any[]) expect(container.container_access_type).toBe("private");
  });
});
