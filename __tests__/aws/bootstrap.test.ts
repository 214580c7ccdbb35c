/** The AWS bootstrap stack: the S3 bucket every other AWS stack keeps its state in under `native` state. */
import { nativeStateStore } from "../../modules/backends";
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson, TerraformJson } from "../support/synth";

const env = shippedEnvironment("production");
const json = synthJson(stackOf([env], "production-aws-bootstrap"));
const store = nativeStateStore(env, "aws");

function bucketPart(json: TerraformJson, type: string, bucketResource: string): any {
  const found = Object.values(resourcesOf(json, type)).filter((r: any) => r.bucket === `\${aws_s3_bucket.${bucketResource}.id}`);
  if (found.length !== 1) throw new Error(`expected one ${type} for ${bucketResource}, found ${found.length}`);
  return found[0];
}
const stateBucketId = Object.entries(resourcesOf(json, "aws_s3_bucket")).find(([, r]: [string, any]) => r.bucket === store.bucket)![0];

describe("production-aws-bootstrap", () => {
  test("keeps its own state locally (it creates the remote store)", () => {
    expect(json.terraform.backend.local).toBeDefined();
  });

  test("creates the bucket the backends resolve for native state", () => {
    expect(resourcesOf(json, "aws_s3_bucket")[stateBucketId].bucket).toBe(store.bucket);
  });

  test("the state bucket is versioned", () => {
    expect(bucketPart(json, "aws_s3_bucket_versioning", stateBucketId).versioning_configuration.status).toBe("Enabled");
  });

  test("the state bucket is encrypted with the customer-managed key, bucket keys on", () => {
    const rule = bucketPart(json, "aws_s3_bucket_server_side_encryption_configuration", stateBucketId).rule[0];
    expect(rule.apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
    expect(rule.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.state-key_\w+\.arn\}$/);
    expect(rule.bucket_key_enabled).toBe(true);
  });

  test("the state key rotates and waits 30 days before deletion", () => {
    const key = onlyResource(json, "aws_kms_key");
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
  });

  test("every bucket blocks all public access and disables ACLs", () => {
    const blocks = Object.values(resourcesOf(json, "aws_s3_bucket_public_access_block"));
    expect(blocks).toHaveLength(Object.keys(resourcesOf(json, "aws_s3_bucket")).length);
    for (const block of blocks) {
      expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    }
    for (const ownership of Object.values(resourcesOf(json, "aws_s3_bucket_ownership_controls"))) {
      expect((ownership as any).rule.object_ownership).toBe("BucketOwnerEnforced");
    }
  });

  test("the state bucket policy denies every request without TLS", () => {
    const policy = bucketPart(json, "aws_s3_bucket_policy", stateBucketId).policy as string;
    expect(policy).toContain('"Effect" = "Deny"');
    expect(policy).toContain('"aws:SecureTransport" = "false"');
  });

  test("the state bucket logs access to the log bucket", () => {
    expect(bucketPart(json, "aws_s3_bucket_logging", stateBucketId).target_bucket).toMatch(/state-access-logs_bucket/);
  });

  test("the state bucket, its log bucket and its key survive a destroy in every stage", () => {
    const staging = synthJson(stackOf([shippedEnvironment("staging")], "staging-aws-bootstrap"));
    for (const stack of [json, staging]) {
      for (const type of ["aws_s3_bucket", "aws_kms_key"]) {
        for (const resource of Object.values(resourcesOf(stack, type))) expect((resource as any).lifecycle.prevent_destroy).toBe(true);
      }
    }
  });

  test("publishes the bucket and key names, and the pipeline's role ARNs, as described outputs", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(["github_apply_role_arn", "github_plan_role_arn", "state_bucket", "state_encryption_key"]);
    for (const output of Object.values(json.output ?? {})) expect(output.description).toMatch(/\w/);
  });
});
