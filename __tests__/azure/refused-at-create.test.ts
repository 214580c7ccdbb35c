/**
 * What Azure's APIs or azurerm's create functions would refuse, or what would break on first use,
 * checked by kind over every stack of every shipped environment (synthesis, `terraform validate`
 * and checkov see none of it): AKS arguments azurerm refuses together, Key Vault keys and secrets
 * Terraform cannot reach, customer-managed keys used before their grant, caches over more zones
 * than nodes, a nodes NSG that drops the overlay's pod traffic, and azurerm's storage data-plane
 * polling of accounts closed to the public network.
 */
import { TerraformStack, Testing } from "cdktf";
import { Netmask } from "netmask";
import { SecureKeyVault } from "../../constructs/azure/key-vault";
import { SecureRedisCache } from "../../constructs/azure/redis-cache";
import { storageIpRules } from "../../constructs/azure/storage-account";
import { environments as shippedInputs } from "../../config";
import { TerraformJson, buildStacks, shippedEnvironment, shippedEnvironments, synthJson } from "../support/synth";
import { configProblems } from "../support/config";

const envs = shippedEnvironments();
const matrix = [...buildStacks(envs).stacks.values()].map((stack) => ({ id: stack.node.id, stack, json: synthJson(stack) }));
const resources = (json: TerraformJson, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});
/** `${type.name.attr}` -> `type.name`. */
const addressOf = (reference: unknown): string | undefined => (typeof reference === "string" ? /^\$\{([a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(reference)?.[1] : undefined);
/** Every string inside a value, however deep. */
const stringsIn = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(stringsIn) : [];

test("the shipped environments build Azure stacks to check", () => {
  expect(matrix.filter(({ stack }) => stack.cloud === "azure").length).toBeGreaterThan(0);
});

test("no AKS cluster sets dns_prefix_private_cluster without a custom private DNS zone, nor AGIC on CNI overlay", () => {
  const refused: string[] = [];
  for (const { id, json } of matrix) {
    for (const [name, aks] of resources(json, "azurerm_kubernetes_cluster")) {
      const zone = aks.private_dns_zone_id;
      if (aks.dns_prefix_private_cluster !== undefined && (zone === undefined || zone === "System" || zone === "None")) refused.push(`${id}/${name}: dns_prefix_private_cluster`);
      if (aks.network_profile?.network_plugin_mode === "overlay" && aks.ingress_application_gateway !== undefined) refused.push(`${id}/${name}: AGIC on overlay`);
    }
  }
  expect(refused).toEqual([]);
});

test("every Key Vault key and secret has a path for Terraform: ordered after the vault's private endpoint and DNS record, or the deploy allowlist admitted", () => {
  const checked: string[] = [];
  const unreachable: string[] = [];
  for (const { id, stack, json } of matrix) {
    const allowlist = stack.env.clouds.azure?.deployAllowlist ?? [];
    for (const type of ["azurerm_key_vault_key", "azurerm_key_vault_secret", "azurerm_key_vault_certificate"]) {
      for (const [name, item] of resources(json, type)) {
        checked.push(`${id}/${name}`);
        const vaultAddress = addressOf(item.key_vault_id);
        const vault = vaultAddress ? json.resource?.azurerm_key_vault?.[vaultAddress.split(".")[1]] : undefined;
        if (!vault) {
          unreachable.push(`${id}/${name}: vault ${item.key_vault_id} not in the stack`);
          continue;
        }
        const endpoints = resources(json, "azurerm_private_endpoint")
          .filter(([, pe]) => addressOf(pe.private_service_connection?.private_connection_resource_id) === vaultAddress && pe.private_dns_zone_group)
          .map(([peName]) => `azurerm_private_endpoint.${peName}`);
        const throughEndpoint = endpoints.some((pe) => (item.depends_on ?? []).includes(pe));
        const rules: string[] = vault.network_acls?.ip_rules ?? [];
        const throughAllowlist = vault.public_network_access_enabled === true && allowlist.length > 0 && allowlist.every((cidr) => rules.includes(cidr));
        if (!throughEndpoint && !throughAllowlist) unreachable.push(`${id}/${name}`);
      }
    }
  }
  expect(checked.length).toBeGreaterThan(0);
  expect(unreachable).toEqual([]);
});

// azurerm 4.x with data_plane_available (its default) polls a new account's blob and queue
// endpoints and reads its queue properties on every refresh; a private account answers from its
// public queue endpoint with 403, which fails the create (provider issue 32474).
test("every stack with a storage account closed to the public network keeps azurerm off the storage data plane", () => {
  const checked: string[] = [];
  const refused: string[] = [];
  for (const { id, json } of matrix) {
    const closed = resources(json, "azurerm_storage_account").filter(([, account]) => account.public_network_access_enabled === false);
    if (closed.length === 0) continue;
    checked.push(id);
    const storageFeatures = ((json.provider as any)?.azurerm ?? []).flatMap((p: any) => p.features ?? []).flatMap((f: any) => f.storage ?? []);
    if (!storageFeatures.some((storage: any) => storage.data_plane_available === false)) refused.push(id);
    for (const [name, account] of closed) {
      if (account.queue_properties || account.static_website) refused.push(`${id}/${name}: queue_properties or static_website needs the data plane`);
    }
  }
  expect(checked.length).toBeGreaterThan(0);
  expect(refused).toEqual([]);
});

test("a Key Vault with public access off and no private endpoint is refused", () => {
  const stack = new TerraformStack(Testing.app(), "vault");
  expect(() => new SecureKeyVault(stack, "kv", { name: "kv", resourceGroupName: "rg", location: "eastus", tenantId: "t", allowedIps: [] })).toThrow(
    "SecureKeyVault 'kv': with no 'allowedIps' public network access is off, so Terraform reaches the vault's keys and secrets only through a private endpoint; give 'privateEndpoint' or 'allowedIps'",
  );
});

test("every azurerm resource encrypted with a customer-managed key is created after its identity's role assignment", () => {
  const checked: string[] = [];
  const unordered: string[] = [];
  for (const { id, json } of matrix) {
    const grants = resources(json, "azurerm_role_assignment").map(([name, grant]) => ({ address: `azurerm_role_assignment.${name}`, principal: addressOf(grant.principal_id) }));
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      if (!type.startsWith("azurerm_") || type === "azurerm_role_assignment") continue;
      for (const [name, resource] of Object.entries(byName as Record<string, any>)) {
        const usesCmk = resource.key_vault_key_id !== undefined || resource.customer_managed_key?.key_vault_key_id !== undefined;
        if (!usesCmk) continue;
        checked.push(`${id}/${type}.${name}`);
        // The identities the resource presents to Key Vault.
        const identities = new Set(stringsIn(resource.identity?.identity_ids ?? []).map(addressOf).filter((a): a is string => a !== undefined));
        const ordered = grants.some((grant) => grant.principal && identities.has(grant.principal) && (resource.depends_on ?? []).includes(grant.address));
        if (!ordered) unordered.push(`${id}/${type}.${name}`);
      }
    }
  }
  expect(checked.length).toBeGreaterThan(0);
  expect(unordered).toEqual([]);
});

test("no Azure cache spreads over more zones than it has nodes (primary plus replicas)", () => {
  const refused: string[] = [];
  for (const { id, json } of matrix) {
    for (const [name, cache] of resources(json, "azurerm_redis_cache")) {
      const nodes = (cache.replicas_per_primary ?? cache.replicas_per_master ?? 1) + 1;
      if ((cache.zones ?? []).length > nodes) refused.push(`${id}/${name}: ${cache.zones.length} zones, ${nodes} nodes`);
    }
  }
  expect(refused).toEqual([]);
});

test("the cache construct refuses more zones than nodes", () => {
  const stack = new TerraformStack(Testing.app(), "cache");
  const props = { name: "cache", resourceGroupName: "rg", location: "eastus", premium: true, endpointSubnetId: "s", dnsZoneId: "z" };
  expect(() => new SecureRedisCache(stack, "redis", { ...props, zones: ["1", "2", "3"], replicasPerPrimary: 1 })).toThrow(
    "SecureRedisCache 'cache': 3 zones need at least 3 nodes, 'replicasPerPrimary' 1 gives 2",
  );
  // Left out, the replicas follow the zones: one node per zone.
  const other = new TerraformStack(Testing.app(), "default-cache");
  new SecureRedisCache(other, "redis", props);
  const cache = Object.values(JSON.parse(Testing.synth(other)).resource.azurerm_redis_cache)[0] as any;
  expect(cache).toMatchObject({ zones: ["1", "2", "3"], replicas_per_primary: 2 });
});

/** The first NSG rule (by priority) that matches an inbound flow decides it. */
function admits(rules: any[], vnetCidrs: string[], flow: { source: string; protocol: "Tcp" | "Udp"; port: number }): boolean {
  const sourceMatches = (prefix: string) =>
    prefix === "*" || (prefix === "VirtualNetwork" ? vnetCidrs.some((cidr) => new Netmask(cidr).contains(flow.source)) : /^\d/.test(prefix) && new Netmask(prefix).contains(flow.source));
  const portMatches = (range: string) => range === "*" || (range.includes("-") ? flow.port >= Number(range.split("-")[0]) && flow.port <= Number(range.split("-")[1]) : Number(range) === flow.port);
  const rule = [...rules]
    .filter((r) => r.direction === "Inbound")
    .sort((a, b) => a.priority - b.priority)
    .find(
      (r) =>
        (r.protocol === "*" || r.protocol === flow.protocol) &&
        sourceMatches(r.source_address_prefix) &&
        (r.destination_port_range !== undefined ? portMatches(r.destination_port_range) : (r.destination_port_ranges as string[]).some(portMatches)),
    );
  return rule?.access === "Allow";
}

test("every AKS nodes NSG admits the overlay's pod-to-pod traffic, cluster DNS over UDP and TCP among it", () => {
  const checked: string[] = [];
  const dropped: string[] = [];
  for (const { id, stack, json } of matrix) {
    for (const [name, aks] of resources(json, "azurerm_kubernetes_cluster")) {
      if (aks.network_profile?.network_plugin_mode !== "overlay") continue;
      // The nodes subnet comes from the network stack's contract; follow it to the NSG on that subnet.
      const output = /outputs\.([a-z_]+)\}$/.exec(aks.default_node_pool.vnet_subnet_id)?.[1];
      const network = matrix.find((m) => m.stack.env === stack.env && m.stack.cloud === "azure" && m.stack.layer === "network")!.json;
      const subnet = addressOf(network.output?.[output!]?.value);
      const association = resources(network, "azurerm_subnet_network_security_group_association").find(([, a]) => addressOf(a.subnet_id) === subnet)?.[1];
      const nsg = addressOf(association?.network_security_group_id);
      const rules = resources(network, "azurerm_network_security_rule")
        .map(([, rule]) => rule)
        .filter((rule) => addressOf(rule.network_security_group_name) === nsg);
      const vnetCidrs = resources(network, "azurerm_virtual_network").flatMap(([, vnet]) => vnet.address_space as string[]);
      const pod = new Netmask(aks.network_profile.pod_cidr).first;
      checked.push(`${id}/${name}`);
      for (const flow of [
        { source: pod, protocol: "Udp" as const, port: 53 },
        { source: pod, protocol: "Tcp" as const, port: 53 },
        { source: pod, protocol: "Tcp" as const, port: 8080 },
      ]) {
        if (!admits(rules, vnetCidrs, flow)) dropped.push(`${id}/${name}: ${flow.protocol} ${flow.port} from ${flow.source}`);
      }
    }
  }
  expect(checked.length).toBeGreaterThan(0);
  expect(dropped).toEqual([]);
});

// Azure Storage refuses /31 and /32 prefixes in IP rules (single addresses instead), and Storage
// and Key Vault refuse private (RFC 1918) ranges. The shipped configs list no networks, so the
// matrix adds production with an allowlist of each shape and the Key Vaults on it.
test("no storage account or Key Vault firewall lists what Azure refuses in an IP rule", () => {
  const allowlisted = shippedEnvironment("production", (input: any) => {
    input.clouds.azure.keyVaultAccess = "allowlist";
    input.clouds.azure.deployAllowlist = ["203.0.113.7/32", "198.51.100.0/31", "192.0.2.0/24"];
  });
  const stacks = [...matrix, ...[...buildStacks([allowlisted]).stacks.values()].map((stack) => ({ id: `allowlisted ${stack.node.id}`, stack, json: synthJson(stack) }))];
  const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((range) => new Netmask(range));
  const checked: string[] = [];
  const refused: string[] = [];
  for (const { id, json } of stacks) {
    for (const [type, rulesOf] of [
      ["azurerm_storage_account", (r: any) => r.network_rules?.ip_rules],
      ["azurerm_key_vault", (r: any) => r.network_acls?.ip_rules],
    ] as const) {
      for (const [name, resource] of resources(json, type)) {
        for (const rule of (rulesOf(resource) ?? []) as string[]) {
          if (rule.startsWith("${")) continue; // an address another resource gives (the NAT gateway's)
          checked.push(`${id}/${name}: ${rule}`);
          if (type === "azurerm_storage_account" && /\/3[12]$/.test(rule)) refused.push(`${id}/${name}: ${rule}`);
          if (privateRanges.some((range) => range.contains(rule.split("/")[0]))) refused.push(`${id}/${name}: ${rule}`);
        }
      }
    }
  }
  // The allowlist reached both firewalls: the state account (as a single address) and the vaults.
  expect(checked.some((c) => /^allowlisted .*state_account[^:]*: 203\.0\.113\.7$/.test(c))).toBe(true);
  expect(checked.some((c) => /^allowlisted .*vault[^:]*: 192\.0\.2\.0\/24$/.test(c))).toBe(true);
  expect(refused).toEqual([]);
});

test("storage IP rules give /31 and /32 as single addresses", () => {
  expect(storageIpRules(["203.0.113.7/32", "198.51.100.0/31", "192.0.2.0/24"])).toEqual(["203.0.113.7", "198.51.100.0", "198.51.100.1", "192.0.2.0/24"]);
});

describe("config refuses what Azure would refuse", () => {
  const production = (mutate: (azure: any) => void) => {
    const input = structuredClone(shippedInputs.find((env) => env.name === "production")!) as any;
    mutate(input.clouds.azure);
    return input;
  };
  const problemsOf = (input: unknown) => configProblems([input]);
  test.each<[string, (azure: any) => void, string]>([
    [
      "a Premium cache over more zones than nodes",
      (azure) => (azure.data = { ...azure.data, redis: { replicasPerPrimary: 1, zones: ["1", "2", "3"] } }),
      "production.clouds.azure.data.redis.zones: 3 zones need at least 3 nodes; replicasPerPrimary 1 gives 2 (Azure refuses more zones than nodes)",
    ],
    [
      "a private network in the deploy allowlist",
      (azure) => (azure.deployAllowlist = ["203.0.113.0/24", "10.20.0.0/16"]),
      "production.clouds.azure.deployAllowlist.1: 10.20.0.0/16 lies in the private range 10.0.0.0/8; the state account's and Key Vaults' firewalls admit only public networks (a runner on a private network reaches them through the VNet, keyVaultAccess 'private-endpoint')",
    ],
    [
      "Key Vaults on the allowlist with no networks listed",
      (azure) => (azure.keyVaultAccess = "allowlist"),
      "production.clouds.azure.deployAllowlist: keyVaultAccess 'allowlist' needs the public networks Terraform runs from; the list is empty (add them, or deploy from inside the VNet with keyVaultAccess 'private-endpoint')",
    ],
  ])("%s", (_name, mutate, expected) => {
    expect(problemsOf(production(mutate))).toEqual([expected]);
  });

  test("fewer zones than nodes and an allowlist with networks load", () => {
    expect(
      problemsOf(
        production((azure) => {
          azure.data = { ...azure.data, redis: { replicasPerPrimary: 1, zones: ["1", "2"] } };
          azure.keyVaultAccess = "allowlist";
          azure.deployAllowlist = ["203.0.113.0/24"];
        }),
      ),
    ).toEqual([]);
  });
});
