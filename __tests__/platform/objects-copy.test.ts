/**
 * Objects to Azure: wherever Azure copies the primary's objects, a CronJob on AKS runs `rclone copy`
 * (never a deletion) from the primary S3 bucket into the versioned objects container, with no key
 * anywhere: an AWS role trusting exactly the job's service account on the AKS OIDC issuer (audience
 * sts.amazonaws.com), allowed to list and read that bucket and decrypt through S3 only, and an Azure
 * identity federated to the same service account with a data role on that one container.
 * Checked over every stack of every shipped environment, so a copy in an unexpected stack, or one
 * whose identity is wider, fails here.
 */
import { parse } from "yaml";
import { OBJECTS_COPY_AWS_AUDIENCE, OBJECTS_COPY_CRONJOB, OBJECTS_COPY_NAMESPACE, OBJECTS_COPY_SERVICE_ACCOUNT, RCLONE_IMAGE } from "../../constructs/kubernetes/objects-copy-job";
import { copyingClouds } from "../../modules/config/data-roles";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { buildStacks, onlyResource, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson, type TerraformJson } from "../support/synth";

const envs = shippedEnvironments();
const matrix = [...buildStacks(envs).stacks.values()].map((stack) => ({ id: stack.node.id, env: stack.env, json: synthJson(stack) }));
const SUBJECT = `system:serviceaccount:${OBJECTS_COPY_NAMESPACE}:${OBJECTS_COPY_SERVICE_ACCOUNT}`;
const ISSUER = "${data.terraform_remote_state.azure_cluster.outputs.oidc_issuer_url}";
const fromData = (field: string) => `\${data.terraform_remote_state.azure_data.outputs.${field}}`;

/** The manifests of the objects copy release of a stack (none when it has no such release). */
function copyManifests(json: TerraformJson): any[] {
  const release = Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === "objects-copy") as any;
  return release ? parse(release.values[0]).resources : [];
}

/** IAM OIDC providers of a stack for an AKS issuer. */
const aksProviders = (json: TerraformJson) => Object.entries(resourcesOf(json, "aws_iam_openid_connect_provider")).filter(([, p]: [string, any]) => p.url === ISSUER);

const copying = (env: EnvironmentConfig) => copyingClouds(env, "objects").includes("azure");

test("production copies its objects to Azure; staging has no Azure", () => {
  expect(envs.filter(copying).map((env) => env.name)).toEqual(["production"]);
});

test("the job runs in the Azure platform stack, and its identities live in the Azure data stack, of exactly the environments that copy", () => {
  const expected = envs.filter(copying).map((env) => env.name);
  expect(matrix.filter((s) => copyManifests(s.json).length > 0).map((s) => s.id)).toEqual(expected.map((name) => `${name}-azure-platform`));
  expect(matrix.filter((s) => aksProviders(s.json).length > 0).map((s) => s.id)).toEqual(expected.map((name) => `${name}-azure-data`));
  expect(matrix.filter((s) => Object.values(resourcesOf(s.json, "azurerm_federated_identity_credential")).some((c: any) => c.subject === SUBJECT)).map((s) => s.id)).toEqual(
    expected.map((name) => `${name}-azure-data`),
  );
});

describe.each(matrix.filter((s) => aksProviders(s.json).length > 0).map((s) => [s.id, s] as const))("%s: the AWS side trusts only the job", (_id, { env, json }) => {
  const [[providerId, provider]] = aksProviders(json) as [string, any][];
  const roles = Object.entries(resourcesOf(json, "aws_iam_role")).filter(([, r]: [string, any]) => /objects-copy-trust/.test(r.assume_role_policy));
  const [[roleId]] = roles;
  const trust = json.data!.aws_iam_policy_document["objects-copy-trust"];
  const policy = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p: any) => p.role === `\${aws_iam_role.${roleId}.id}`) as any;

  test("an IAM OIDC provider for the AKS issuer, audience sts.amazonaws.com, no pinned thumbprint (optional in aws 6.25; IAM checks the issuer's public CA)", () => {
    expect(provider.client_id_list).toEqual([OBJECTS_COPY_AWS_AUDIENCE]);
    expect(provider.thumbprint_list).toBeUndefined();
  });

  test("one role, assumable by web identity from that provider for exactly the job's service account and audience", () => {
    expect(roles).toHaveLength(1);
    expect(trust.statement).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [`\${aws_iam_openid_connect_provider.${providerId}.arn}`] }],
        condition: [
          { test: "StringEquals", variable: `\${replace(${ISSUER.slice(2, -1)}, "https://", "")}:sub`, values: [SUBJECT] },
          { test: "StringEquals", variable: `\${replace(${ISSUER.slice(2, -1)}, "https://", "")}:aud`, values: [OBJECTS_COPY_AWS_AUDIENCE] },
        ],
      },
    ]);
  });

  test("which may list and read the primary bucket from the cluster's NAT address only, and decrypt only through S3 in its region, nothing else", () => {
    const text = policy.policy as string;
    const actions = [...text.matchAll(/"Action" = \[([^\]]*)\]/g)].flatMap((m) => m[1].split(", ").map((a) => a.replace(/"/g, "")));
    expect(actions.sort()).toEqual(["kms:Decrypt", "s3:GetObject", "s3:ListBucket"]);
    const bucket = "arn:aws:s3:::${data.terraform_remote_state.aws_data.outputs.object_bucket_name}";
    const fromCluster = '"Condition" = {"IpAddress" = {"aws:SourceIp" = "${data.terraform_remote_state.azure_cluster.outputs.egress_ip}/32"}}';
    expect(text).toContain(`"Action" = ["s3:ListBucket"], "Resource" = "${bucket}", ${fromCluster}`);
    expect(text).toContain(`"Action" = ["s3:GetObject"], "Resource" = "${bucket}/*", ${fromCluster}`);
    expect(text).toContain(`"kms:ViaService" = "s3.${env.clouds.aws!.region}.amazonaws.com"`);
    expect(text).toContain(`"Resource" = "arn:aws:kms:${env.clouds.aws!.region}:${env.clouds.aws!.accountId}:key/*"`);
    expect(text).not.toMatch(/"Resource" = "\*"|"Effect" = "Deny"|s3:\*|s3:Put|s3:Delete/);
  });

  test("the stack configures the AWS provider once, for the primary's account only", () => {
    expect(json.provider!.aws).toEqual([expect.objectContaining({ region: env.clouds.aws!.region, allowed_account_ids: [env.clouds.aws!.accountId] })]);
  });
});

describe.each(matrix.filter((s) => aksProviders(s.json).length > 0).map((s) => [s.id, s] as const))("%s: the Azure side writes one versioned container", (_id, { json }) => {
  const identities = Object.entries(resourcesOf(json, "azurerm_user_assigned_identity")).filter(([id]) => id.startsWith("objects-copy"));
  const [[identityId]] = identities;
  const grants = Object.values(resourcesOf(json, "azurerm_role_assignment")).filter((r: any) => r.principal_id === `\${azurerm_user_assigned_identity.${identityId}.principal_id}`) as any[];

  test("a user-assigned identity federated to exactly the job's service account on the AKS issuer", () => {
    expect(identities).toHaveLength(1);
    const federations = Object.values(resourcesOf(json, "azurerm_federated_identity_credential")).filter((c: any) => c.parent_id === `\${azurerm_user_assigned_identity.${identityId}.id}`);
    expect(federations).toEqual([expect.objectContaining({ issuer: ISSUER, subject: SUBJECT, audience: ["api://AzureADTokenExchange"] })]);
  });

  test("whose only role is Storage Blob Data Contributor on the objects container of a versioned, soft-deleting account", () => {
    expect(grants.map((g) => g.role_definition_name)).toEqual(["Storage Blob Data Contributor"]);
    const [containerId, container] = Object.entries(resourcesOf(json, "azurerm_storage_container")).find(([id]) => grants[0].scope === `\${azurerm_storage_container.${id}.resource_manager_id}`)! as [string, any];
    expect(containerId).toMatch(/^objects_container_/);
    const accountId = /^\$\{azurerm_storage_account\.([\w-]+)\.id\}$/.exec(container.storage_account_id)![1];
    const account = resourcesOf(json, "azurerm_storage_account")[accountId];
    expect(account.blob_properties).toMatchObject({ versioning_enabled: true, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } });
    expect(account.shared_access_key_enabled).toBe(false);
    // No immutability policy on it: the copy overwrites, versioning keeps what it overwrote.
    for (const policy of Object.values(resourcesOf(json, "azurerm_storage_container_immutability_policy")) as any[]) {
      expect(policy.storage_container_resource_manager_id).not.toBe(grants[0].scope);
    }
  });

  test("the contract hands the job references only: bucket, role ARN, client id, account, container", () => {
    expect(json.output!.objects_copy_role_arn.value).toMatch(/^\$\{aws_iam_role\.objects-copy-role_\w+\.arn\}$/);
    expect(json.output!.objects_copy_client_id.value).toBe(`\${azurerm_user_assigned_identity.${identityId}.client_id}`);
    expect(json.output!.objects_source_bucket.value).toBe("${data.terraform_remote_state.aws_data.outputs.object_bucket_name}");
    expect(json.output!.objects_copy_container.value).toMatch(/^\$\{azurerm_storage_container\.objects_container_\w+\.name\}$/);
    expect(json.output!.objects_copy_account.value).toMatch(/^\$\{azurerm_storage_account\.objects_account_\w+\.name\}$/);
  });
});

describe.each(matrix.filter((s) => copyManifests(s.json).length > 0).map((s) => [s.id, s] as const))("%s: the CronJob", (_id, { env, json }) => {
  const manifests = copyManifests(json);
  const cron = manifests.find((m) => m.kind === "CronJob");
  const account = manifests.find((m) => m.kind === "ServiceAccount");
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const [container] = pod.containers;
  const envOf = Object.fromEntries(container.env.map((v: any) => [v.name, v.value]));

  test("is named and placed as the exported constants say, on the configured schedule, one run at a time", () => {
    expect(manifests.map((m) => m.kind)).toEqual(["ServiceAccount", "CronJob"]);
    expect(cron.metadata.name).toBe(OBJECTS_COPY_CRONJOB);
    expect(Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === "objects-copy")).toMatchObject({ namespace: OBJECTS_COPY_NAMESPACE });
    expect(cron.spec).toMatchObject({ schedule: env.dataCopies.objects.copySchedule, timeZone: "Etc/UTC", concurrencyPolicy: "Forbid" });
  });

  test("copies from the bucket to the container and never deletes: `copy`, no sync, move or delete flag", () => {
    expect(container.command).toEqual(["rclone"]);
    expect(container.args.slice(0, 3)).toEqual(["copy", `primary:${fromData("objects_source_bucket")}`, `backup:${fromData("objects_copy_container")}`]);
    for (const arg of container.args) expect(arg).not.toMatch(/^(sync|move|bisync|delete|purge)$|--delete|--max-delete|--backup-dir|--immutable/);
    expect(container.args).toContain("--azureblob-no-check-container");
  });

  test("the official rclone image, a 1.7x release pinned by digest", () => {
    expect(container.image).toBe(RCLONE_IMAGE);
    expect(container.image).toMatch(/^docker\.io\/rclone\/rclone:1\.7\d\.\d+@sha256:[0-9a-f]{64}$/);
  });

  test("no key anywhere: every env value is a literal or a contract reference, none a secret or a secretKeyRef, and no Secret is rendered", () => {
    expect(Object.keys(envOf).sort()).toEqual([
      "AWS_REGION", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE", "HOME",
      "RCLONE_CACHE_DIR", "RCLONE_CONFIG", "RCLONE_CONFIG_BACKUP_ACCOUNT", "RCLONE_CONFIG_BACKUP_ENV_AUTH", "RCLONE_CONFIG_BACKUP_TYPE",
      "RCLONE_CONFIG_PRIMARY_ENV_AUTH", "RCLONE_CONFIG_PRIMARY_PROVIDER", "RCLONE_CONFIG_PRIMARY_REGION", "RCLONE_CONFIG_PRIMARY_SERVER_SIDE_ENCRYPTION", "RCLONE_CONFIG_PRIMARY_TYPE",
    ]);
    for (const variable of container.env) expect(variable.valueFrom).toBeUndefined();
    expect(container.envFrom).toBeUndefined();
    expect(envOf).toMatchObject({
      RCLONE_CONFIG_PRIMARY_TYPE: "s3", RCLONE_CONFIG_PRIMARY_PROVIDER: "AWS", RCLONE_CONFIG_PRIMARY_ENV_AUTH: "true",
      RCLONE_CONFIG_PRIMARY_REGION: env.clouds.aws!.region, AWS_REGION: env.clouds.aws!.region,
      AWS_ROLE_ARN: fromData("objects_copy_role_arn"),
      RCLONE_CONFIG_BACKUP_TYPE: "azureblob", RCLONE_CONFIG_BACKUP_ACCOUNT: fromData("objects_copy_account"), RCLONE_CONFIG_BACKUP_ENV_AUTH: "true",
    });
    expect(manifests.map((m) => m.kind)).not.toContain("Secret");
  });

  test("AWS web identity: a projected service-account token with audience sts.amazonaws.com, at the path AWS_WEB_IDENTITY_TOKEN_FILE names", () => {
    const volume = pod.volumes.find((v: any) => v.projected);
    expect(volume.projected.sources).toEqual([{ serviceAccountToken: { audience: OBJECTS_COPY_AWS_AUDIENCE, expirationSeconds: 3600, path: "token" } }]);
    const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount.readOnly).toBe(true);
    expect(envOf.AWS_WEB_IDENTITY_TOKEN_FILE).toBe(`${mount.mountPath}/token`);
  });

  test("Azure workload identity: the annotated service account the identities trust, and the pod label the webhook selects", () => {
    expect(account.metadata).toMatchObject({ name: OBJECTS_COPY_SERVICE_ACCOUNT, annotations: { "azure.workload.identity/client-id": fromData("objects_copy_client_id") } });
    expect(pod.serviceAccountName).toBe(OBJECTS_COPY_SERVICE_ACCOUNT);
    expect(cron.spec.jobTemplate.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test("requests and limits, non-root, read-only root filesystem with a writable scratch volume for HOME, config and cache, RuntimeDefault seccomp", () => {
    expect(Object.keys(container.resources.requests).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
    expect(Object.keys(container.resources.limits).sort()).toEqual(["cpu", "ephemeral-storage", "memory"]);
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1009, seccompProfile: { type: "RuntimeDefault" } });
    const scratch = pod.volumes.find((v: any) => v.emptyDir);
    const mount = container.volumeMounts.find((m: any) => m.name === scratch.name);
    for (const path of [envOf.HOME, envOf.RCLONE_CACHE_DIR, envOf.RCLONE_CONFIG]) expect(path.startsWith(mount.mountPath)).toBe(true);
  });

  test("installed after the one data-copies namespace of the cluster", () => {
    const namespaces = Object.entries(resourcesOf(json, "kubernetes_namespace_v1")).filter(([, n]: [string, any]) => n.metadata.name === OBJECTS_COPY_NAMESPACE);
    expect(namespaces).toHaveLength(1);
    const release = Object.values(resourcesOf(json, "helm_release")).find((r: any) => r.name === "objects-copy") as any;
    expect(release.depends_on).toContain(`kubernetes_namespace_v1.${namespaces[0][0]}`);
  });
});

test("the schedule follows config", () => {
  const custom = shippedEnvironment("production", (c: any) => { c.dataCopies = { objects: { copySchedule: "0 */4 * * *" } }; });
  const cron = copyManifests(synthJson(stackOf([custom], "production-azure-platform"))).find((m) => m.kind === "CronJob");
  expect(cron.spec.schedule).toBe("0 */4 * * *");
});

test("copying objects without PostgreSQL: the platform stack creates the data-copies namespace itself, the data stack reads each contract once", () => {
  const objectsOnly = shippedEnvironment("production", (c: any) => { c.dataCopies = { engines: ["objects"] }; });
  const platform = synthJson(stackOf([objectsOnly], "production-azure-platform"));
  expect(Object.values(resourcesOf(platform, "helm_release")).map((r: any) => r.name)).not.toContain("postgres-refresh");
  const [namespace] = Object.entries(resourcesOf(platform, "kubernetes_namespace_v1")).filter(([, n]: [string, any]) => n.metadata.name === OBJECTS_COPY_NAMESPACE);
  expect((Object.values(resourcesOf(platform, "helm_release")).find((r: any) => r.name === "objects-copy") as any).depends_on).toContain(`kubernetes_namespace_v1.${namespace[0]}`);
  const data = synthJson(stackOf([objectsOnly], "production-azure-data"));
  expect(onlyResource(data, "azurerm_federated_identity_credential").subject).toBe(SUBJECT);
  expect(data.output!.replication_status.value).toBe("scheduled-copy");
});

test("a standalone Azure copies no objects: no job, no OIDC provider, no AWS role", () => {
  const alone = shippedEnvironment("production", (c: any) => { c.clouds.azure.data.role = "standalone"; });
  expect(copyManifests(synthJson(stackOf([alone], "production-azure-platform")))).toEqual([]);
  const data = synthJson(stackOf([alone], "production-azure-data"));
  expect(resourcesOf(data, "aws_iam_openid_connect_provider")).toEqual({});
  expect(resourcesOf(data, "aws_iam_role")).toEqual({});
});
