/**
 * The MongoDB copies of the primary's DocumentDB: on every shipped environment whose GCP (Atlas)
 * or Azure (Cosmos DB) copies MongoDB, a CronJob `data-copies/mongodb-refresh` on that cloud's
 * cluster (schedule from config, image pinned by digest, credentials only as CSI files through the
 * job's workload identity, limits, unprivileged), and in the data stacks: the DocumentDB copy
 * user's password generated into Secrets Manager on AWS and copied (never output) where the job
 * reads it, the identity or IAM binding that lets exactly that job read exactly its secrets, and on
 * Azure the immutable `mongodb-dumps` container. Where no cloud copies MongoDB (staging), none of
 * it exists.
 */
import { parse } from "yaml";
import { MONGODB_REFRESH_CRONJOB, MONGODB_REFRESH_NAMESPACE, MONGODB_TOOLS_IMAGE } from "../../constructs/kubernetes/mongodb-refresh-job";
import { copyingClouds } from "../../modules/config/data-roles";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { TerraformJson, buildStacks, onlyResource, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson } from "../support/synth";

const envs = shippedEnvironments();
/** [environment, cloud] for every cloud whose MongoDB copy the shipped config builds. */
const copies = envs.flatMap((env) => copyingClouds(env, "mongodb").map((cloud) => [env.name, cloud, env] as const));

test("production copies MongoDB to Atlas on GCP and Cosmos DB on Azure; staging copies none", () => {
  expect(copies.map(([name, cloud]) => `${name}-${cloud}`)).toEqual(["production-gcp", "production-azure"]);
  expect(MONGODB_REFRESH_NAMESPACE).toBe("data-copies");
  expect(MONGODB_REFRESH_CRONJOB).toBe("mongodb-refresh");
});

/** The manifests of the MongoDB refresh release in a platform stack. */
function manifests(json: TerraformJson): any[] {
  const release = Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === MONGODB_REFRESH_CRONJOB) as any;
  return release ? parse(release.values[0]).resources : [];
}

describe.each(copies)("%s-%s-platform runs the MongoDB refresh CronJob", (name, cloud, env) => {
  const all = manifests(synthJson(stackOf([env], `${name}-${cloud}-platform`)));
  const byKind = (kind: string) => all.find((m) => m.kind === kind);
  const cron = byKind("CronJob");
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const containers: any[] = [...pod.initContainers, ...pod.containers];
  const contract = `data.terraform_remote_state.${cloud}_data.outputs`;

  test("in data-copies, on the configured schedule, one run at a time", () => {
    expect(cron.metadata.name).toBe(MONGODB_REFRESH_CRONJOB);
    expect(cron.spec).toMatchObject({ schedule: env.dataCopies.mongodb.refreshSchedule, timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
  });

  test("dumps first (init container), then restores; Azure also archives the same dump", () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["dump"]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(cloud === "azure" ? ["restore", "archive"] : ["restore"]);
    expect(pod.initContainers[0].image).toBe(MONGODB_TOOLS_IMAGE);
    expect(pod.containers[0].image).toBe(MONGODB_TOOLS_IMAGE);
  });

  test("every image is pinned by digest (mongo 8.0.x for the tools) and comes from an allowed registry", () => {
    expect(MONGODB_TOOLS_IMAGE).toMatch(/^docker\.io\/library\/mongo:8\.0\.\d+@sha256:[0-9a-f]{64}$/);
    for (const container of containers) {
      expect(container.image).toMatch(/^docker\.io\/library\/(mongo|python):[\w.-]+@sha256:[0-9a-f]{64}$/);
      expect(env.platform.allowedRegistries.some((registry) => container.image.startsWith(registry))).toBe(true);
    }
  });

  test("no credential is an env value, a secretKeyRef or a Kubernetes Secret: they are CSI files", () => {
    for (const variable of containers.flatMap((container) => container.env)) {
      expect(variable.valueFrom).toBeUndefined();
      expect(variable.name).not.toMatch(/PASSWORD|SECRET|TOKEN|KEY|URI|CONNECTION/i);
      expect(String(variable.value)).toMatch(new RegExp(`^(\\$\\{${contract.replace(/\./g, "\\.")}\\.(mongodb_source_host|mongodb_endpoint|mongodb_dumps_url)\\}|addtocloud_copy|addtocloud_app|addtocloud)$`));
    }
    expect(all.map((m) => m.kind)).not.toContain("Secret");
    // No credential on a command line either: the scripts write a tool config file into memory.
    for (const container of containers) expect(container.command.join(" ")).not.toMatch(/--password|--uri[= ]/);
    expect(pod.volumes.find((v: any) => v.name === "credentials")).toEqual({ name: "credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
  });

  test("the credentials come through the cloud's Secrets Store CSI driver", () => {
    const volume = pod.volumes.find((v: any) => v.csi);
    const provider = byKind("SecretProviderClass");
    if (cloud === "azure") {
      expect(volume.csi).toEqual({ driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "mongodb-refresh" } });
      expect(provider.spec.provider).toBe("azure");
      expect(provider.spec.parameters).toMatchObject({ usePodIdentity: "false", clientID: `\${${contract}.mongodb_refresh_client_id}`, keyvaultName: `\${${contract}.key_vault_name}`, tenantId: env.clouds.azure!.tenantId });
      expect(provider.spec.parameters.objects).toContain(`objectName: \${${contract}.mongodb_source_secret_name}\n    objectType: secret\n    objectAlias: source-password`);
      expect(provider.spec.parameters.objects).toContain(`objectName: \${${contract}.mongodb_target_secret_name}\n    objectType: secret\n    objectAlias: target-connection-string`);
    } else {
      // GKE's managed Secret Manager add-on: its own driver and provider name.
      expect(volume.csi).toEqual({ driver: "secrets-store-gke.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "mongodb-refresh" } });
      expect(provider.spec).toEqual({
        provider: "gke",
        parameters: {
          secrets: [
            `- resourceName: "\${${contract}.mongodb_source_secret_ref}/versions/latest"\n  path: "source-password"`,
            `- resourceName: "\${${contract}.mongodb_secret_ref}/versions/latest"\n  path: "target-password"`,
          ].join("\n"),
        },
      });
    }
  });

  test("runs as the job's own workload identity", () => {
    const account = byKind("ServiceAccount");
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    expect(account.automountServiceAccountToken).toBe(false);
    if (cloud === "azure") {
      expect(account.metadata.annotations).toEqual({ "azure.workload.identity/client-id": `\${${contract}.mongodb_refresh_client_id}` });
      expect(cron.spec.jobTemplate.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    } else {
      // Workload Identity Federation for GKE: the KSA itself is the IAM principal (bound in the data stack), no GSA annotation.
      expect(account.metadata.annotations).toBeUndefined();
    }
  });

  test("every container has requests and limits and runs unprivileged (mongodb user, read-only root, no capabilities, RuntimeDefault seccomp)", () => {
    for (const container of containers) {
      expect(Object.keys(container.resources.limits).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
      expect(Object.keys(container.resources.requests).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    }
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.volumes.find((v: any) => v.name === "work").emptyDir.sizeLimit).toBe("20Gi");
    expect(pod.initContainers[0].resources.limits["ephemeral-storage"]).toBe("21Gi");
  });

  test("the scripts hold no Terraform template sequence (they travel inside a Terraform string)", () => {
    for (const container of containers) expect(container.command.join(" ")).not.toMatch(/\$\{|%\{/);
  });

  test("dumps DocumentDB as it needs: TLS against the RDS CA bundle, replica set rs0 read from a secondary, no retryable writes, SCRAM-SHA-1, no oplog", () => {
    const dump = pod.initContainers[0].command[2];
    expect(dump).toContain("tls=true&tlsCAFile=/etc/source-ca/bundle.pem&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authMechanism=SCRAM-SHA-1");
    expect(dump).toContain('mongodump --config=/run/credentials/source.yaml --db="$DATABASE" --archive=/work/mongodb.archive --gzip');
    expect(dump).not.toContain("--oplog");
    expect(byKind("ConfigMap").binaryData["bundle.pem"]).toMatch(/^\$\{base64encode\(data\.http\.[\w-]+\.response_body\)\}$/);
  });

  test("restores with --drop into the copy, as the target needs", () => {
    const restore = pod.containers[0].command[2];
    expect(restore).toContain('--archive=/work/mongodb.archive --gzip --nsInclude="$DATABASE.*" --drop --stopOnError');
    if (cloud === "azure") {
      // Cosmos DB (RU): the account's connection string, throttling-friendly inserts, no index restore.
      expect(restore).toContain("$(cat /mnt/secrets/target-connection-string)");
      expect(restore).toContain("--noIndexRestore --noOptionsRestore --numInsertionWorkersPerCollection=1 --batchSize=100");
      expect(pod.containers[1].env).toContainEqual({ name: "DUMPS_URL", value: `\${${contract}.mongodb_dumps_url}` });
      expect(pod.containers[1].command[2]).toContain('with open("/work/mongodb.archive", "rb") as dump:');
    } else {
      expect(restore).toContain('mongodb+srv://%s:%s@%s/?authSource=admin&retryWrites=true&w=majority');
      expect(pod.containers[0].env).toContainEqual({ name: "TARGET_HOST", value: `\${${contract}.mongodb_endpoint}` });
      expect(restore).not.toContain("--noIndexRestore");
    }
  });

  test("the schedule follows config", () => {
    const custom = shippedEnvironment(name, (c: any) => { c.dataCopies = { mongodb: { refreshSchedule: "15 2 * * *" } }; });
    const job = manifests(synthJson(stackOf([custom], `${name}-${cloud}-platform`))).find((m) => m.kind === "CronJob");
    expect(job.spec.schedule).toBe("15 2 * * *");
  });
});

describe.each(envs.map((env) => [env.name, env] as const))("%s-aws-data: the DocumentDB copy user's password", (name, env) => {
  const json = synthJson(stackOf([env], `${name}-aws-data`));
  const secret = Object.entries(resourcesOf(json, "aws_secretsmanager_secret")).find(([, s]: [string, any]) => s.name.endsWith("-mongodb-copy"));

  if (copyingClouds(env, "mongodb").length === 0) {
    test("is not made where no cloud copies MongoDB, and the contract field is empty", () => {
      expect(secret).toBeUndefined();
      expect(json.output?.mongodb_copy_secret_ref.value).toBe("");
    });
    return;
  }

  test("is generated ephemerally into Secrets Manager under the data CMK, for the copy user", () => {
    const [id, attributes] = secret as [string, any];
    expect(attributes.kms_key_id).toMatch(/^\$\{aws_kms_key\.data-key_\w+\.arn\}$/);
    const version = Object.values(resourcesOf(json, "aws_secretsmanager_secret_version")).find((v: any) => v.secret_id === `\${aws_secretsmanager_secret.${id}.id}`) as any;
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toMatch(/^\$\{jsonencode\(\{ "username" = "addtocloud_copy", "password" = ephemeral\.random_password\.[\w-]+\.result \}\)\}$/);
    expect(resourcesOf(json, "random_password")).toEqual({});
  });

  test("DocumentDB's security group admits where each copy's job connects from: GKE nodes and pods, the Azure VNet (AKS pods leave through their nodes)", () => {
    const group = Object.values(resourcesOf(json, "aws_security_group")).find((g: any) => g.name.endsWith("-docdb")) as any;
    const cidrs: string[] = group.ingress.flatMap((rule: any) => rule.cidr_blocks ?? []);
    for (const cloud of copyingClouds(env, "mongodb")) {
      const expected = cloud === "gcp" ? [env.clouds.gcp!.network.cidr, env.clouds.gcp!.network.podsCidr] : [env.clouds.azure!.network.cidr];
      expect(cidrs).toEqual(expect.arrayContaining(expected));
    }
    expect(cidrs).not.toContain("0.0.0.0/0");
  });

  test("the contract carries the secret's ARN, never the value", () => {
    expect(json.output?.mongodb_copy_secret_ref.value).toBe(`\${aws_secretsmanager_secret.${secret![0]}.arn}`);
    for (const output of Object.values(json.output ?? {})) expect(JSON.stringify(output.value)).not.toMatch(/random_password|secret_string/);
  });
});

describe.each(copies.filter(([, cloud]) => cloud === "azure"))("%s-%s-data gives the job its identity, credentials and archive", (name) => {
  const data = synthJson(stackOf([shippedEnvironment(name)], `${name}-azure-data`));
  const secrets = Object.values(resourcesOf(data, "azurerm_key_vault_secret")) as any[];

  test("a user-assigned identity federated to exactly the job's service account on the cluster's OIDC issuer", () => {
    expect(resourcesOf(data, "azurerm_federated_identity_credential")["mongodb-refresh-federation"]).toMatchObject({
      issuer: "${data.terraform_remote_state.azure_cluster.outputs.oidc_issuer_url}",
      subject: "system:serviceaccount:data-copies:mongodb-refresh",
      audience: ["api://AzureADTokenExchange"],
    });
  });

  test("every archive lands in its own immutable container: 35 days, locked in production, writable only by the job", () => {
    const container = resourcesOf(data, "azurerm_storage_container")["mongodb-dumps"];
    expect(container).toMatchObject({ name: "mongodb-dumps", container_access_type: "private" });
    expect(resourcesOf(data, "azurerm_storage_container_immutability_policy")["mongodb-dumps-retention"]).toMatchObject({
      immutability_period_in_days: 35,
      locked: true,
      protected_append_writes_enabled: false,
      storage_container_resource_manager_id: "${azurerm_storage_container.mongodb-dumps.resource_manager_id}",
    });
    const roles = Object.values(resourcesOf(data, "azurerm_role_assignment")).filter((r: any) => String(r.principal_id).includes("mongodb-refresh-identity")) as any[];
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ["Key Vault Secrets User", expect.stringMatching(/^\$\{azurerm_key_vault_secret\.[\w-]+\.resource_versionless_id\}$/)],
      ["Key Vault Secrets User", expect.stringMatching(/^\$\{azurerm_key_vault_secret\.[\w-]+\.resource_versionless_id\}$/)],
      ["Storage Blob Data Contributor", "${azurerm_storage_container.mongodb-dumps.resource_manager_id}"],
    ]);
    expect(data.output?.mongodb_dumps_url.value).toBe("${azurerm_storage_account.objects_account_175C6FB7.primary_blob_endpoint}${azurerm_storage_container.mongodb-dumps.name}");
  });

  test("the copy password (from Secrets Manager) and the Cosmos DB connection string are vault secrets, and no output carries either", () => {
    const source = secrets.find((s) => s.name === "mongodb-source-password");
    // Read ephemerally, written write-only: the copy password is in neither this stack's plan nor its state.
    expect(source.value).toBeUndefined();
    expect(source.value_wo).toBe('${jsondecode(ephemeral.aws_secretsmanager_secret_version.mongodb-copy-secret.secret_string)["password"]}');
    expect(source.value_wo_version).toBe("${data.terraform_remote_state.aws_data.outputs.mongodb_copy_secret_version}");
    expect((data as any).ephemeral.aws_secretsmanager_secret_version["mongodb-copy-secret"].secret_id).toBe("${data.terraform_remote_state.aws_data.outputs.mongodb_copy_secret_ref}");
    const target = secrets.find((s) => s.name === "cosmos-mongodb-connection-string");
    expect(target.value).toMatch(/^\$\{azurerm_cosmosdb_account\.[\w-]+\.primary_mongodb_connection_string\}$/);
    for (const output of Object.values(data.output ?? {})) expect(JSON.stringify(output.value)).not.toMatch(/secret_string|connection_string|primary_key|\.value\}/);
    expect(data.output?.mongodb_source_secret_name.value).toBe("mongodb-source-password");
    expect(data.output?.mongodb_target_secret_name.value).toBe("cosmos-mongodb-connection-string");
  });
});

describe.each(copies.filter(([, cloud]) => cloud === "gcp"))("%s-%s-data and cluster give the job its secrets", (name) => {
  const env = shippedEnvironment(name);
  const data = synthJson(stackOf([env], `${name}-gcp-data`));

  test("the copy password is copied from Secrets Manager into Secret Manager (CMEK), ephemerally and write-only, and no output carries it", () => {
    expect((data as any).ephemeral.aws_secretsmanager_secret_version["mongodb-copy-secret"].secret_id).toBe("${data.terraform_remote_state.aws_data.outputs.mongodb_copy_secret_ref}");
    const [id, secret] = Object.entries(resourcesOf(data, "google_secret_manager_secret")).find(([, s]: [string, any]) => s.secret_id.endsWith("-mongodb-source-password")) as [string, any];
    expect(secret.replication.user_managed.replicas[0].customer_managed_encryption.kms_key_name).toMatch(/google_kms_crypto_key/);
    const version = Object.values(resourcesOf(data, "google_secret_manager_secret_version")).find((v: any) => v.secret === `\${google_secret_manager_secret.${id}.id}`) as any;
    expect(version.secret_data).toBeUndefined();
    expect(version.secret_data_wo).toBe('${jsondecode(ephemeral.aws_secretsmanager_secret_version.mongodb-copy-secret.secret_string)["password"]}');
    expect(version.secret_data_wo_version).toBe("${data.terraform_remote_state.aws_data.outputs.mongodb_copy_secret_version}");
    expect(data.output?.mongodb_source_secret_ref.value).toBe(`\${google_secret_manager_secret.${id}.id}`);
    for (const output of Object.values(data.output ?? {})) expect(JSON.stringify(output.value)).not.toMatch(/secret_string|secret_data|random_password/);
  });

  test("exactly the job's Kubernetes service account may read exactly the two secrets", () => {
    const members = Object.values(resourcesOf(data, "google_secret_manager_secret_iam_member")) as any[];
    const principal = "principal://iam.googleapis.com/projects/${data.google_project.agents_project_2D9B5389.number}/locations/global/workloadIdentityPools/${data.terraform_remote_state.gcp_cluster.outputs.workload_identity_pool}/subject/ns/data-copies/sa/mongodb-refresh";
    const readers = members.filter((m) => m.member === principal);
    expect(readers.map((m) => m.role)).toEqual(["roles/secretmanager.secretAccessor", "roles/secretmanager.secretAccessor"]);
    expect(readers.map((m) => m.secret_id).sort()).toEqual([
      expect.stringMatching(/^\$\{google_secret_manager_secret\.mongodb-source-password_secret_\w+\.id\}$/),
      expect.stringMatching(/^\$\{google_secret_manager_secret\.mongodb_app-password_secret_\w+\.id\}$/),
    ].sort());
    expect(members).toHaveLength(2);
  });

  test("the GKE cluster runs the Secret Manager add-on", () => {
    const cluster = onlyResource(synthJson(stackOf([env], `${name}-gcp-cluster`)), "google_container_cluster");
    expect(cluster.secret_manager_config).toEqual({ enabled: true });
  });
});

/** The stacks where a MongoDB copy could appear: every data, cluster and platform stack of every shipped environment. */
function copyStacks(env: EnvironmentConfig): [string, TerraformJson][] {
  const { stacks } = buildStacks([env]);
  return [...stacks.entries()].filter(([id]) => /-(data|cluster|platform)$/.test(id)).map(([id, stack]) => [id, synthJson(stack)]);
}

describe.each(envs.map((env) => [env.name, env] as const))("%s: the MongoDB copy appears only where a cloud copies MongoDB", (_name, env) => {
  test("refresh job, copy secrets, identities and the GKE add-on only on the copying clouds' stacks", () => {
    const copying = copyingClouds(env, "mongodb");
    for (const [id, json] of copyStacks(env)) {
      const cloud = id.split("-").slice(-2)[0];
      const expected = copying.includes(cloud as never);
      if (id.endsWith("-platform")) expect([id, manifests(json).length > 0]).toEqual([id, expected]);
      if (id.endsWith("-data") && cloud !== "aws") expect([id, json.ephemeral?.aws_secretsmanager_secret_version?.["mongodb-copy-secret"] !== undefined]).toEqual([id, expected]);
      if (id.endsWith("-gcp-cluster")) expect([id, onlyResource(json, "google_container_cluster").secret_manager_config !== undefined]).toEqual([id, expected]);
    }
  });

  test("the MongoDB refresh identity reads exactly its two vault secrets (the copy password, the Cosmos DB connection string), never the whole vault", () => {
    for (const [id, json] of copyStacks(env)) {
      if (!id.endsWith("-azure-data")) continue;
      const secrets = resourcesOf(json, "azurerm_key_vault_secret");
      const reads = (Object.values(resourcesOf(json, "azurerm_role_assignment")) as any[]).filter((r) => String(r.principal_id).includes("mongodb-refresh-identity") && /Key Vault/.test(r.role_definition_name));
      const scopes = reads.map((r) => {
        const secret = /^\$\{azurerm_key_vault_secret\.([\w-]+)\.resource_versionless_id\}$/.exec(r.scope);
        return [id, r.role_definition_name, secret ? secrets[secret[1]].name : r.scope];
      });
      const expected = copyingClouds(env, "mongodb").includes("azure") ? ["cosmos-mongodb-connection-string", "mongodb-source-password"] : [];
      expect(scopes.sort()).toEqual(expected.map((name) => [id, "Key Vault Secrets User", name]));
    }
  });

  test("a Cosmos DB account takes key-based metadata writes exactly when the refresh restores into it (mongorestore --drop drops and recreates collections with the account key)", () => {
    const accounts = expectKeyMetadataWritesFollowRefresh(copyStacks(env));
    expect(accounts).toBe(env.clouds.azure?.data.cosmosMongo.enabled ? 1 : 0);
  });
});

/**
 * Every Cosmos DB account of these stacks refuses key-based metadata writes (create, drop, index
 * changes through the MongoDB API with the account key) unless its cloud's platform stack runs the
 * MongoDB refresh, whose `mongorestore --drop` needs them: refused, the first run would fail on its
 * first dropped or created collection.
 */
function expectKeyMetadataWritesFollowRefresh(stacks: [string, TerraformJson][]): number {
  const refreshing = new Set(stacks.filter(([id, json]) => id.endsWith("-platform") && manifests(json).length > 0).map(([id]) => id.replace(/-platform$/, "")));
  let accounts = 0;
  for (const [id, json] of stacks) {
    for (const account of Object.values(resourcesOf(json, "azurerm_cosmosdb_account")) as any[]) {
      accounts += 1;
      expect([id, account.access_key_metadata_writes_enabled]).toEqual([id, refreshing.has(id.replace(/-data$/, ""))]);
    }
  }
  return accounts;
}

test("with DocumentDB off on the primary nothing copies MongoDB: no copy secret, no job, no Secret Manager add-on", () => {
  const off = shippedEnvironment("production", (c: any) => { c.clouds.aws.data.documentdb = { ...c.clouds.aws.data.documentdb, enabled: false }; });
  expect(copyingClouds(off, "mongodb")).toEqual([]);
  expect(copyingClouds(off, "postgres")).toEqual(["gcp", "azure"]);
  for (const [id, json] of copyStacks(off)) {
    if (id.endsWith("-platform")) expect([id, manifests(json)]).toEqual([id, []]);
    if (id.endsWith("-data")) expect([id, json.ephemeral?.aws_secretsmanager_secret_version?.["mongodb-copy-secret"]]).toEqual([id, undefined]);
    if (id.endsWith("-aws-data")) expect(json.output?.mongodb_copy_secret_ref.value).toBe("");
    if (id.endsWith("-gcp-cluster")) expect(onlyResource(json, "google_container_cluster").secret_manager_config).toBeUndefined();
  }
  expect(expectKeyMetadataWritesFollowRefresh(copyStacks(off))).toBe(1);
});

// Rotation: raising a copy user's password version in config writes a new password on the primary
// and, through the primary's contract, rewrites every copy of it (their write-only version follows).
test("raising the copy-user password versions rotates the primary's secrets and publishes the new versions", () => {
  const rotated = shippedEnvironment("production", (c: any) => { c.dataCopies = { postgres: { replicationPasswordVersion: 3 }, mongodb: { copyPasswordVersion: 2 } }; });
  const aws = synthJson(stackOf([rotated], "production-aws-data"));
  const versions = Object.values(resourcesOf(aws, "aws_secretsmanager_secret_version")).map((v: any) => v.secret_string_wo_version).sort();
  expect(versions).toEqual([2, 3]);
  expect(aws.output?.postgres_replication_secret_version.value).toBe(3);
  expect(aws.output?.mongodb_copy_secret_version.value).toBe(2);
});
