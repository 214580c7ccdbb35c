/**
 * The pipeline's keyless identities in every bootstrap stack of every shipped environment: each
 * trusts exactly one GitHub OIDC subject of the configured repository (pull requests for plans,
 * the environment's protected GitHub environment for applies), with no wildcard anywhere.
 */
import { GCP_APPLY_ROLES, GCP_PLAN_ROLES } from "../../constructs/gcp/github-federation";
import { loadEnvironments } from "../../modules/config/load";
import { environments as shippedInputs } from "../../config";
import { EnvironmentConfig } from "../../modules/config/environment";
import { buildStacks, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson, TerraformJson } from "../support/synth";

const envs = shippedEnvironments();
const repo = "addtocloud/platform";

function bootstrap(env: EnvironmentConfig, cloud: string): TerraformJson {
  return synthJson(stackOf([env], `${env.name}-${cloud}-bootstrap`));
}

/** The StringEquals conditions of a role's trust policy, read back from its jsonencode(...) text. */
function trustConditions(policy: string): Record<string, string> {
  const block = /"StringEquals" = \{([^}]*)\}/.exec(policy);
  if (!block) throw new Error(`no StringEquals condition in ${policy}`);
  return Object.fromEntries([...block[1].matchAll(/"([^"]+)" = "([^"]+)"/g)].map((m) => [m[1], m[2]]));
}

describe.each(envs.filter((env) => env.clouds.aws).map((env) => [env.name, env] as const))("%s-aws-bootstrap", (name, env) => {
  const json = bootstrap(env, "aws");
  const roles = resourcesOf(json, "aws_iam_role");
  const role = (suffix: string) => Object.values(roles).find((r: any) => r.name === `addtocloud-${name}-github-${suffix}`) as any;

  test("creates GitHub's OIDC provider with the STS audience only", () => {
    const providers = Object.values(resourcesOf(json, "aws_iam_openid_connect_provider")) as any[];
    expect(providers).toEqual([expect.objectContaining({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] })]);
  });

  test("the plan role trusts only pull-request jobs of the repository", () => {
    expect(trustConditions(role("plan").assume_role_policy)).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": `repo:${repo}:pull_request`,
    });
  });

  test("the apply role trusts only jobs of the environment's GitHub environment", () => {
    expect(trustConditions(role("apply").assume_role_policy)).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": `repo:${repo}:environment:${name}`,
    });
  });

  test("no trust policy uses a wildcard or a pattern condition", () => {
    for (const r of [role("plan"), role("apply")]) {
      expect(r.assume_role_policy).not.toMatch(/StringLike|\*/);
    }
  });

  test("the plan role is read-only, and writes only Terraform lock files in the state bucket", () => {
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).filter((a: any) => a.role.includes("plan_role"));
    expect(attachments.map((a: any) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    const inline = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p: any) => p.name === `addtocloud-${name}-github-plan`) as any;
    const writes = /"Sid" = "StateLock", "Effect" = "Allow", "Action" = \[([^\]]*)\], "Resource" = \[([^\]]*)\]/.exec(inline.policy);
    expect(writes?.[1]).toBe(`"s3:PutObject", "s3:DeleteObject"`);
    expect(writes?.[2]).toMatch(/^"\$\{aws_s3_bucket\.state-bucket_\w+\.arn\}\/\*\.tflock"$/);
  });

  test("the apply role cannot change the pipeline's own identities", () => {
    const inline = Object.values(resourcesOf(json, "aws_iam_role_policy")).find((p: any) => p.name === `addtocloud-${name}-github-apply`) as any;
    expect(inline.policy).toContain(`"Sid" = "NotThePipelineItself", "Effect" = "Deny", "Action" = ["iam:*"]`);
    expect(inline.policy).toContain(`role/addtocloud-${name}-github-apply`);
  });

  test("publishes the role ARNs people copy into the repository variables", () => {
    expect(Object.keys(json.output ?? {})).toEqual(expect.arrayContaining(["github_plan_role_arn", "github_apply_role_arn"]));
  });
});

describe.each(envs.filter((env) => env.clouds.gcp).map((env) => [env.name, env] as const))("%s-gcp-bootstrap", (name, env) => {
  const json = bootstrap(env, "gcp");
  const provider = Object.values(resourcesOf(json, "google_iam_workload_identity_pool_provider"))[0] as any;

  test("the provider admits only the repository's pull requests and its environment's jobs on main", () => {
    expect(provider.oidc.issuer_uri).toBe("https://token.actions.githubusercontent.com");
    expect(provider.attribute_condition).toBe(
      `assertion.repository == '${repo}' && (assertion.sub == 'repo:${repo}:pull_request' || ` +
        `(assertion.sub == 'repo:${repo}:environment:${name}' && assertion.ref == 'refs/heads/main'))`,
    );
    expect(provider.attribute_mapping["google.subject"]).toBe("assertion.sub");
  });

  test("each service account is impersonable by exactly one subject (principal, never principalSet)", () => {
    const members = Object.values(resourcesOf(json, "google_service_account_iam_member")).map((m: any) => [m.role, m.member]);
    const pool = Object.keys(resourcesOf(json, "google_iam_workload_identity_pool"))[0];
    expect(members.sort()).toEqual([
      ["roles/iam.workloadIdentityUser", `principal://iam.googleapis.com/\${google_iam_workload_identity_pool.${pool}.name}/subject/repo:${repo}:environment:${name}`],
      ["roles/iam.workloadIdentityUser", `principal://iam.googleapis.com/\${google_iam_workload_identity_pool.${pool}.name}/subject/repo:${repo}:pull_request`],
    ]);
  });

  test("the plan account has read roles only, and writes state objects only when they are lock files", () => {
    const roles = (who: string) =>
      Object.values(resourcesOf(json, "google_project_iam_member"))
        .filter((m: any) => m.member.includes(`${who}-account`))
        .map((m: any) => m.role)
        .sort();
    expect(roles("plan")).toEqual([...GCP_PLAN_ROLES].sort());
    expect(roles("apply")).toEqual([...GCP_APPLY_ROLES].sort());
    const lock = Object.values(resourcesOf(json, "google_storage_bucket_iam_member")).find((m: any) => m.role === "roles/storage.objectUser") as any;
    expect(lock.condition.expression).toMatch(/resource\.name\.endsWith\('\.tflock'\)$/);
  });
});

describe.each(envs.filter((env) => env.clouds.azure).map((env) => [env.name, env] as const))("%s-azure-bootstrap", (name, env) => {
  const json = bootstrap(env, "azure");

  test("one federated credential per identity, each for exactly one subject", () => {
    const credentials = Object.values(resourcesOf(json, "azurerm_federated_identity_credential")).map((c: any) => ({
      name: c.name,
      issuer: c.issuer,
      audience: c.audience,
      subject: c.subject,
    }));
    expect(credentials.sort((a, b) => b.name.localeCompare(a.name))).toEqual([
      { name: "github-plan", issuer: "https://token.actions.githubusercontent.com", audience: ["api://AzureADTokenExchange"], subject: `repo:${repo}:pull_request` },
      { name: "github-apply", issuer: "https://token.actions.githubusercontent.com", audience: ["api://AzureADTokenExchange"], subject: `repo:${repo}:environment:${name}` },
    ]);
  });

  test("the plan identity reads the subscription and writes only the state container", () => {
    const plan = Object.values(resourcesOf(json, "azurerm_role_assignment"))
      .filter((a: any) => a.principal_id.includes("_plan_"))
      .map((a: any) => [a.role_definition_name, a.scope]);
    expect(plan).toEqual([
      ["Reader", `/subscriptions/${env.clouds.azure!.subscriptionId}`],
      ["Storage Blob Data Contributor", expect.stringMatching(/^\$\{azurerm_storage_container\.state_container_\w+\.resource_manager_id\}$/)],
    ]);
  });
});

describe("delivery config", () => {
  test("an environment without identities creates none", () => {
    const env = shippedEnvironment("staging", (input) => {
      input.delivery = { github: { identities: false } };
    });
    expect(resourcesOf(bootstrap(env, "aws"), "aws_iam_role")).toEqual({});
    expect(resourcesOf(bootstrap(env, "gcp"), "google_iam_workload_identity_pool")).toEqual({});
  });

  test("an existing OIDC provider is reused, not created again", () => {
    const arn = "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com";
    const env = shippedEnvironment("staging", (input) => {
      input.delivery = { github: { awsOidcProviderArn: arn } };
    });
    const json = bootstrap(env, "aws");
    expect(resourcesOf(json, "aws_iam_openid_connect_provider")).toEqual({});
    expect(JSON.stringify(resourcesOf(json, "aws_iam_role"))).toContain(arn);
  });

  const staging = shippedInputs.find((e) => e.name === "staging")!;
  const production = shippedInputs.find((e) => e.name === "production")!;
  test.each([
    [
      "a repository with a wildcard",
      [{ ...staging, delivery: { github: { repository: "addtocloud/*" } } }],
      "staging.delivery.github.repository: must be a GitHub repository written owner/name, without wildcards",
    ],
    [
      "an environment name with ':'",
      [{ ...staging, delivery: { github: { environment: "prod:x" } } }],
      "staging.delivery.github.environment: must be letters, digits, '.', '_', '/' or '-' (no wildcards, no ':')",
    ],
    [
      "two environments applying through one GitHub environment",
      [staging, { ...production, delivery: { github: { environment: "staging" } } }],
      "production.delivery.github.environment: GitHub environment 'staging' of addtocloud/platform already applies staging; each environment needs its own",
    ],
    [
      "two environments in one AWS account both creating the OIDC provider",
      [staging, { ...production, clouds: { ...production.clouds, aws: { ...production.clouds.aws!, accountId: "222222222222" } } }],
      "production.delivery.github.awsOidcProviderArn: AWS account 222222222222 gets its GitHub OIDC provider from staging's bootstrap stack; pass that provider's ARN here",
    ],
  ])("%s is a config error naming the field", (_, inputs, message) => {
    expect(() => loadEnvironments(inputs)).toThrow(message);
  });
});

describe("GCP pipeline roles", () => {
  // For each GCP resource type prefix the stacks use: the predefined role that reads it (plan) and the
  // one that creates it (apply). A new type fails here until both lists cover it.
  const SERVICES: [RegExp, string, string][] = [
    [/^google_compute_firewall$/, "roles/compute.viewer", "roles/compute.securityAdmin"],
    [/^google_compute_/, "roles/compute.viewer", "roles/compute.networkAdmin"],
    [/^google_service_networking_/, "roles/compute.viewer", "roles/servicenetworking.networksAdmin"],
    [/^google_container_/, "roles/container.viewer", "roles/container.admin"],
    [/^google_sql_/, "roles/cloudsql.viewer", "roles/cloudsql.admin"],
    [/^google_redis_/, "roles/redis.viewer", "roles/redis.admin"],
    [/^google_kms_/, "roles/cloudkms.viewer", "roles/cloudkms.admin"],
    [/^google_secret_manager_/, "roles/secretmanager.secretAccessor", "roles/secretmanager.admin"],
    [/^google_storage_transfer_/, "roles/storagetransfer.viewer", "roles/storagetransfer.admin"],
    [/^google_storage_/, "roles/storage.bucketViewer", "roles/storage.admin"],
    [/^google_database_migration_service_/, "roles/datamigration.viewer", "roles/datamigration.admin"],
    [/^google_dns_/, "roles/dns.reader", "roles/dns.admin"],
    [/^google_managed_kafka_/, "roles/managedkafka.viewer", "roles/managedkafka.admin"],
    [/^google_project_service$/, "roles/serviceusage.serviceUsageConsumer", "roles/serviceusage.serviceUsageAdmin"],
    [/^google_service_account/, "roles/iam.securityReviewer", "roles/iam.serviceAccountAdmin"],
    [/^google_project_iam_/, "roles/iam.securityReviewer", "roles/resourcemanager.projectIamAdmin"],
  ];

  test("the plan and apply accounts hold a role for every GCP resource type the pipeline's stacks manage", () => {
    const { stacks } = buildStacks(envs);
    const missing: string[] = [];
    let types = 0;
    // Bootstrap stacks are applied by an administrator, never by the pipeline.
    for (const [id, stack] of [...stacks].filter(([, s]) => s.layer !== "bootstrap")) {
      for (const type of Object.keys(synthJson(stack).resource ?? {}).filter((t) => t.startsWith("google_"))) {
        types++;
        const service = SERVICES.find(([pattern]) => pattern.test(type));
        if (!service) missing.push(`${id}: ${type} has no entry`);
        else if (!(GCP_PLAN_ROLES as readonly string[]).includes(service[1])) missing.push(`${id}: ${type} needs ${service[1]} to plan`);
        else if (!(GCP_APPLY_ROLES as readonly string[]).includes(service[2])) missing.push(`${id}: ${type} needs ${service[2]} to apply`);
      }
    }
    expect(types).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
