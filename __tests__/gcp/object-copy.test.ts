/**
 * Objects: in every shipped environment whose GCP copies the primary's objects, Storage Transfer
 * Service copies the primary S3 bucket into the versioned GCS object bucket, authenticated by a
 * federated AWS role only the project's transfer service agent can assume (no access keys), which
 * may read that one bucket and decrypt through S3 only. Deletions on the primary never reach the copy.
 */
import { copiesEngine } from "../../modules/config/data-roles";
import { onlyResource, resourcesOf, shippedEnvironments, stackOf, synthJson } from "../support/synth";

const envs = shippedEnvironments();
const copying = envs.filter((env) => copiesEngine(env, "gcp", "objects"));

test("both shipped environments copy the primary's objects to GCP", () => {
  expect(copying.map((env) => env.name)).toEqual(["staging", "production"]);
});

describe.each(copying.map((env) => [env.name, env] as const))("%s-gcp-data copies the primary bucket", (name, env) => {
  const json = synthJson(stackOf([env], `${name}-gcp-data`));
  const job = onlyResource(json, "google_storage_transfer_job");
  const role = onlyResource(json, "aws_iam_role");
  const [agentId] = Object.keys(json.data?.google_storage_transfer_project_service_account ?? {});

  test("the job reads the primary bucket named by the AWS data contract through the federated role, with no access key", () => {
    const source = job.transfer_spec.aws_s3_data_source;
    expect(source.bucket_name).toBe("${data.terraform_remote_state.aws_data.outputs.object_bucket_name}");
    expect(source.role_arn).toMatch(/^\$\{aws_iam_role\.objects-transfer_role_\w+\.arn\}$/);
    expect(source.aws_access_key).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/access_key_id|secret_access_key/);
  });

  test("only this project's Storage Transfer service agent may assume the role (accounts.google.com web identity, its subject id)", () => {
    expect(role.assume_role_policy).toContain('"Federated" = "accounts.google.com"');
    expect(role.assume_role_policy).toContain('"Action" = "sts:AssumeRoleWithWebIdentity"');
    expect(role.assume_role_policy).toContain(`"accounts.google.com:sub" = data.google_storage_transfer_project_service_account.${agentId}.subject_id`);
    expect(json.data?.google_storage_transfer_project_service_account[agentId].project).toBe(env.clouds.gcp!.projectId);
  });

  test("the role lists and reads the one bucket and decrypts only on S3's behalf", () => {
    const policy = onlyResource(json, "aws_iam_role_policy").policy as string;
    const actions = [...policy.matchAll(/"Action" = \[([^\]]*)\]/g)].flatMap((m) => m[1].split(", ").map((a) => a.replace(/"/g, "")));
    expect(actions.sort()).toEqual(["kms:Decrypt", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"]);
    expect(policy).toContain(`"kms:ViaService" = "s3.${env.clouds.aws!.region}.amazonaws.com"`);
    expect(policy).not.toMatch(/"Resource" = "\*"/);
  });

  test("the sink is the stack's versioned object bucket, and nothing is deleted on either side", () => {
    const buckets = resourcesOf(json, "google_storage_bucket") as Record<string, any>;
    const [sinkId, sink] = Object.entries(buckets).find(([id]) => job.transfer_spec.gcs_data_sink.bucket_name === `\${google_storage_bucket.${id}.name}`)!;
    expect(sinkId).toMatch(/^objects_bucket_/);
    expect(sink.versioning).toEqual({ enabled: true });
    expect(job.transfer_spec.transfer_options).toMatchObject({ delete_objects_unique_in_sink: false, delete_objects_from_source_after_transfer: false });
    expect(onlyResource(json, "google_storage_bucket_iam_member")).toMatchObject({ role: "roles/storage.legacyBucketWriter", bucket: `\${google_storage_bucket.${sinkId}.name}` });
  });

  test("runs hourly", () => {
    expect(job.schedule.repeat_interval).toBe("3600s");
  });
});

test("a standalone GCP copies nothing: no transfer job and no AWS provider", () => {
  const alone = envs.map((env) => ({ ...env, clouds: { ...env.clouds, gcp: env.clouds.gcp && { ...env.clouds.gcp, data: { ...env.clouds.gcp.data, role: "standalone" as const } } } }));
  const standalone = synthJson(stackOf([alone[0]], "staging-gcp-data"));
  expect(resourcesOf(standalone, "google_storage_transfer_job")).toEqual({});
  expect(Object.keys(standalone.terraform.required_providers)).not.toContain("aws");
});
