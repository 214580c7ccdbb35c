/**
 * Azure Backup for the backup cloud's PostgreSQL Flexible Server: a Backup Vault (soft delete on,
 * immutability locked and geo-redundant in production, unlocked and local elsewhere), a weekly
 * policy keeping monthly backups a year, the instance protecting the stack's server, and the two
 * roles Azure Backup needs granted before the instance exists. A cloud with another role has none.
 */
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson } from "../support/synth";

const production = synthJson(stackOf([shippedEnvironment("production")], "production-azure-data"));
/** Staging with an Azure backup cloud (the shipped staging has no Azure). */
const stagingEnv = shippedEnvironment("staging", (input: any) => {
  input.clouds.azure = {
    location: "eastus2",
    subscriptionId: "00000000-0000-0000-0000-000000000011",
    tenantId: "00000000-0000-0000-0000-000000000012",
    network: { cidr: "10.130.0.0/20" },
    cluster: { systemPool: { scaling: { min: 1, desired: 1, max: 2 } }, userPool: { scaling: { min: 1, desired: 1, max: 3 } } },
  };
});
const staging = synthJson(stackOf([stagingEnv], "staging-azure-data"));

describe("the Backup Vault", () => {
  test("production: geo-redundant with cross-region restore, soft delete on, immutability locked, kept on destroy", () => {
    expect(onlyResource(production, "azurerm_data_protection_backup_vault")).toMatchObject({
      datastore_type: "VaultStore",
      redundancy: "GeoRedundant",
      cross_region_restore_enabled: true,
      soft_delete: "On",
      retention_duration_in_days: 14,
      immutability: "Locked",
      identity: { type: "SystemAssigned" },
      lifecycle: { prevent_destroy: true },
    });
  });

  test("elsewhere: locally redundant, immutability on but unlocked (a locked vault cannot be undone)", () => {
    const vault = onlyResource(staging, "azurerm_data_protection_backup_vault");
    expect(vault).toMatchObject({ redundancy: "LocallyRedundant", soft_delete: "On", immutability: "Unlocked" });
    expect(vault.cross_region_restore_enabled).toBeUndefined();
  });
});

describe("the policy and the instance", () => {
  const policy = onlyResource(production, "azurerm_data_protection_backup_policy_postgresql_flexible_server");
  const instance = onlyResource(production, "azurerm_data_protection_backup_instance_postgresql_flexible_server");

  test("a weekly backup kept three months, the first of each month kept a year", () => {
    expect(policy.backup_repeating_time_intervals).toEqual(["R/2026-01-04T02:30:00+00:00/P1W"]);
    expect(policy.default_retention_rule.life_cycle).toEqual([{ data_store_type: "VaultStore", duration: "P3M" }]);
    expect(policy.retention_rule).toEqual([
      { name: "monthly", priority: 20, criteria: { absolute_criteria: "FirstOfMonth" }, life_cycle: [{ data_store_type: "VaultStore", duration: "P12M" }] },
    ]);
  });

  test("the instance protects the stack's PostgreSQL server under that policy, after the vault's roles are granted", () => {
    expect(instance.server_id).toMatch(/^\$\{azurerm_postgresql_flexible_server\.postgres_server_\w+\.id\}$/);
    expect(instance.backup_policy_id).toMatch(/azurerm_data_protection_backup_policy_postgresql_flexible_server\.[\w-]+\.id/);
    const roles = Object.entries(resourcesOf(production, "azurerm_role_assignment")).filter(([, r]: [string, any]) => String(r.principal_id).includes("data_protection_backup_vault"));
    expect(roles.map(([, r]: [string, any]) => r.role_definition_name).sort()).toEqual(["PostgreSQL Flexible Server Long Term Retention Backup Role", "Reader"]);
    for (const [id] of roles) expect(instance.depends_on).toContain(`azurerm_role_assignment.${id}`);
  });

  test("a standalone Azure keeps no vaulted backups", () => {
    const alone = synthJson(stackOf([shippedEnvironment("production", (c: any) => { c.clouds.azure.data.role = "standalone"; })], "production-azure-data"));
    expect(resourcesOf(alone, "azurerm_data_protection_backup_vault")).toEqual({});
  });
});
