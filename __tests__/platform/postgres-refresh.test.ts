/**
 * The backup cloud's PostgreSQL refresh: on every shipped environment whose Azure copies the
 * primary, a CronJob on AKS (schedule from config, image pinned by digest, credentials only as CSI
 * files from Key Vault through a workload identity, resource limits) and, in the Azure data stack,
 * the identity federated to exactly that service account, allowed to read the vault's secrets, and
 * the primary's replication password copied into the vault without an output.
 */
import { parse } from "yaml";
import { copyingClouds } from "../../modules/config/data-roles";
import { onlyResource, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson } from "../support/synth";

const refreshing = shippedEnvironments().filter((env) => copyingClouds(env, "postgres").includes("azure"));

test("production refreshes its Azure backup server from the primary; staging has no Azure", () => {
  expect(refreshing.map((env) => env.name)).toEqual(["production"]);
});

/** The manifests of the refresh job's release in a platform stack. */
function manifests(json: ReturnType<typeof synthJson>): any[] {
  const release = Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === "postgres-refresh") as any;
  return release ? parse(release.values[0]).resources : [];
}

describe.each(refreshing.map((env) => [env.name, env] as const))("%s-azure-platform runs the refresh CronJob", (name, env) => {
  const platform = synthJson(stackOf([env], `${name}-azure-platform`));
  const all = manifests(platform);
  const byKind = (kind: string) => all.find((m) => m.kind === kind);
  const cron = byKind("CronJob");
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const containers: any[] = [...pod.initContainers, ...pod.containers];

  test("runs on the configured schedule, one run at a time", () => {
    expect(cron.spec).toMatchObject({ schedule: env.dataCopies.postgres.refreshSchedule, timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
  });

  test("dumps first (init container), then restores into the backup server and archives the dump side by side", () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["dump"]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(["restore", "archive"]);
  });

  test("every container's image is pinned by digest and comes from an allowed registry", () => {
    for (const container of containers) {
      expect(container.image).toMatch(/^docker\.io\/library\/(postgres|python):[\w.-]+@sha256:[0-9a-f]{64}$/);
      expect(env.platform.allowedRegistries.some((registry) => container.image.startsWith(registry))).toBe(true);
    }
  });

  test("no credential is an env value, a secretKeyRef or a Kubernetes Secret: passwords are CSI files from Key Vault", () => {
    for (const variable of containers.flatMap((container) => container.env)) {
      expect(variable.valueFrom).toBeUndefined();
      expect(variable.name).not.toMatch(/PASSWORD|SECRET|TOKEN|KEY/i);
      expect(String(variable.value)).toMatch(/^(\$\{data\.terraform_remote_state\.azure_data\.outputs\.(postgres_source_host|postgres_endpoint|postgres_admin_login|postgres_dumps_url)\}|addtocloud_replication|addtocloud)$/);
    }
    expect(all.map((m) => m.kind)).not.toContain("Secret");
    const volume = pod.volumes.find((v: any) => v.csi);
    expect(volume.csi).toEqual({ driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "postgres-refresh" } });
    const provider = byKind("SecretProviderClass");
    expect(provider.spec.provider).toBe("azure");
    expect(provider.spec.parameters).toMatchObject({
      usePodIdentity: "false",
      clientID: "${data.terraform_remote_state.azure_data.outputs.postgres_refresh_client_id}",
      keyvaultName: "${data.terraform_remote_state.azure_data.outputs.key_vault_name}",
      tenantId: env.clouds.azure!.tenantId,
    });
    expect(provider.spec.parameters.objects).toContain("objectAlias: source-password");
    expect(provider.spec.parameters.objects).toContain("objectAlias: target-password");
  });

  test("runs as the workload identity: annotated service account, labelled pod", () => {
    const account = byKind("ServiceAccount");
    expect(account.metadata.annotations).toEqual({ "azure.workload.identity/client-id": "${data.terraform_remote_state.azure_data.outputs.postgres_refresh_client_id}" });
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(cron.spec.jobTemplate.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
  });

  test("every container has requests and limits for CPU, memory and scratch space, and runs unprivileged", () => {
    for (const container of containers) {
      expect(Object.keys(container.resources.limits).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
      expect(Object.keys(container.resources.requests).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
    // The dump's scratch volume fits in the dump container's limit, the pod's effective one.
    expect(pod.volumes.find((v: any) => v.name === "work").emptyDir.sizeLimit).toBe("20Gi");
    expect(pod.initContainers[0].resources.limits["ephemeral-storage"]).toBe("21Gi");
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  test("the scripts hold no Terraform template sequence (they travel inside a Terraform string)", () => {
    for (const container of containers) expect(container.command.join(" ")).not.toMatch(/\$\{|%\{/);
  });

  test("verifies both servers' certificates: the primary's against the RDS CA bundle, the target against the system roots", () => {
    expect(pod.initContainers[0].command[2]).toContain("sslmode=verify-full sslrootcert=/etc/source-ca/bundle.pem");
    expect(pod.containers[0].command[2]).toContain("sslmode=verify-full sslrootcert=system");
    expect(pod.containers[1].env).toContainEqual({ name: "DUMPS_URL", value: "${data.terraform_remote_state.azure_data.outputs.postgres_dumps_url}" });
    const ca = byKind("ConfigMap");
    expect(ca.binaryData["bundle.pem"]).toMatch(/^\$\{base64encode\(data\.http\.[\w-]+\.response_body\)\}$/);
  });

  test("the schedule follows config", () => {
    const custom = shippedEnvironment(name, (c: any) => { c.dataCopies = { postgres: { refreshSchedule: "0 3 * * *" } }; });
    const job = manifests(synthJson(stackOf([custom], `${name}-azure-platform`))).find((m) => m.kind === "CronJob");
    expect(job.spec.schedule).toBe("0 3 * * *");
  });
});

describe.each(refreshing.map((env) => [env.name, env] as const))("%s-azure-data gives the job its identity and credentials", (name) => {
  const data = synthJson(stackOf([shippedEnvironment(name)], `${name}-azure-data`));

  test("a user-assigned identity federated to exactly the job's service account on the cluster's OIDC issuer", () => {
    const federation = Object.values(resourcesOf(data, "azurerm_federated_identity_credential")).filter((f: any) => String(f.parent_id).includes("postgres-refresh-identity"));
    expect(federation).toHaveLength(1);
    expect(federation[0]).toMatchObject({
      issuer: "${data.terraform_remote_state.azure_cluster.outputs.oidc_issuer_url}",
      subject: "system:serviceaccount:data-copies:postgres-refresh",
      audience: ["api://AzureADTokenExchange"],
    });
  });

  test("every dump lands in an immutable container: 35 days, locked in production", () => {
    const policy = resourcesOf(data, "azurerm_storage_container_immutability_policy")["postgres-dumps-retention"];
    expect(policy).toMatchObject({ immutability_period_in_days: 35, locked: true, protected_append_writes_enabled: false });
    const dumps = Object.entries(resourcesOf(data, "azurerm_storage_container")).find(([, c]: [string, any]) => c.name === "postgres-dumps")!;
    expect(policy.storage_container_resource_manager_id).toBe(`\${azurerm_storage_container.${dumps[0]}.resource_manager_id}`);
    const writer = Object.values(resourcesOf(data, "azurerm_role_assignment")).find((r: any) => r.role_definition_name === "Storage Blob Data Contributor" && String(r.principal_id).includes("postgres-refresh-identity")) as any;
    expect(writer.scope).toBe(`\${azurerm_storage_container.${dumps[0]}.resource_manager_id}`);
    expect(writer.principal_id).toMatch(/postgres-refresh-identity/);
  });

  test("which may read the data vault's secrets", () => {
    const role = Object.values(resourcesOf(data, "azurerm_role_assignment")).find((r: any) => String(r.principal_id).includes("postgres-refresh-identity")) as any;
    expect(role).toMatchObject({ role_definition_name: "Key Vault Secrets User" });
    expect(role.scope).toMatch(/azurerm_key_vault\.[\w-]+\.id/);
  });

  test("the primary's replication password is copied into the vault from Secrets Manager, ephemerally and write-only, and no output carries it", () => {
    const secret = Object.values(resourcesOf(data, "azurerm_key_vault_secret")).find((s: any) => s.name === "postgres-source-password") as any;
    expect(secret.value).toBeUndefined();
    expect(secret.value_wo).toBe('${jsondecode(ephemeral.aws_secretsmanager_secret_version.replication-secret.secret_string)["password"]}');
    expect(secret.value_wo_version).toBe("${data.terraform_remote_state.aws_data.outputs.postgres_replication_secret_version}");
    expect((data as any).ephemeral.aws_secretsmanager_secret_version["replication-secret"]).toEqual({ secret_id: "${data.terraform_remote_state.aws_data.outputs.postgres_replication_secret_ref}" });
    expect((data as any).data?.aws_secretsmanager_secret_version).toBeUndefined();
    for (const output of Object.values(data.output ?? {})) expect(JSON.stringify(output.value)).not.toMatch(/secret_string|random_password|\.value\}/);
    expect(data.output?.replication_status.value).toBe("scheduled-refresh");
  });
});

test("outside production the dumps' retention is enforced but not locked", () => {
  const staging = shippedEnvironment("staging", (input: any) => {
    input.clouds.azure = {
      location: "eastus2",
      subscriptionId: "00000000-0000-0000-0000-000000000011",
      tenantId: "00000000-0000-0000-0000-000000000012",
      network: { cidr: "10.130.0.0/20" },
      cluster: { systemPool: { scaling: { min: 1, desired: 1, max: 2 } }, userPool: { scaling: { min: 1, desired: 1, max: 3 } } },
      data: { role: "backup" },
    };
  });
  const data = synthJson(stackOf([staging], "staging-azure-data"));
  expect(onlyResource(data, "azurerm_storage_container_immutability_policy")).toMatchObject({ immutability_period_in_days: 35, locked: false });
});

test("a standalone Azure runs no refresh job and holds no copy of the primary's password", () => {
  const alone = shippedEnvironment("production", (c: any) => { c.clouds.azure.data.role = "standalone"; });
  expect(manifests(synthJson(stackOf([alone], "production-azure-platform")))).toEqual([]);
  const data = synthJson(stackOf([alone], "production-azure-data"));
  expect(resourcesOf(data, "azurerm_federated_identity_credential")).toEqual({});
  expect(data.data?.aws_secretsmanager_secret_version).toBeUndefined();
});

describe.each(refreshing.map((env) => [env.name, env] as const))("%s: the hub alerts on the backup copy", (name, env) => {
  const hubCloud = env.platform.hubCloud ?? "aws";
  const hub = synthJson(stackOf([env], `${name}-${hubCloud}-platform`));
  const release = Object.values(resourcesOf(hub, "helm_release")).find((r: any) => r.name === "data-copy-alerts") as any;
  const rule = parse(release.values[0]).resources[0];
  const rules = Object.fromEntries(rule.spec.groups[0].rules.map((r: any) => [r.alert, r]));

  test("a PrometheusRule the hub's Prometheus selects, installed after its CRD", () => {
    expect(rule.kind).toBe("PrometheusRule");
    expect(rule.metadata.labels.release).toMatch(/^\$\{helm_release\.addons_monitoring_chart_release_\w+\.name\}$/);
    expect(release.depends_on).toContainEqual(expect.stringMatching(/^helm_release\.addons_monitoring_chart_release_\w+$/));
  });

  test("fires when the newest successful refresh (a restored backup) is older than 26 hours, or never happened", () => {
    expect(rules.PostgresBackupStale.expr).toBe('time() - max by (cluster) (kube_cronjob_status_last_successful_time{namespace="data-copies", cronjob="postgres-refresh"}) > 26 * 3600');
    expect(rules.PostgresBackupNeverRestored).toMatchObject({ expr: 'absent(kube_cronjob_status_last_successful_time{cluster="production-azure", namespace="data-copies", cronjob="postgres-refresh"})', for: "26h" });
    // Only the Jobs of this CronJob (`<cronjob>-<minutes>`), not every Job of the namespace (the restore check runs there too).
    expect(rules.PostgresBackupJobFailed.expr).toContain('kube_job_failed{namespace="data-copies", job_name=~"postgres-refresh-[0-9]+", condition="true"}');
  });

  test("only the hub carries the rules", () => {
    for (const cloud of ["gcp", "azure", "digitalocean"]) {
      if (!env.clouds[cloud as "gcp"]) continue;
      const other = synthJson(stackOf([env], `${name}-${cloud}-platform`));
      expect(Object.values(resourcesOf(other, "helm_release")).map((r: any) => r.name)).not.toContain("data-copy-alerts");
    }
  });
});
