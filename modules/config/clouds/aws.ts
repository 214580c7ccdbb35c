/** The AWS section of an environment: the primary cloud. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, DataRole, KubernetesVersion, RetentionDays, networkCidr } from "../primitives";
import { AWS_REGIONS } from "../regions";
import { StateBackend } from "../state";

const InstanceType = z.string().regex(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/, { message: "must be an EC2 instance type such as m5.large" });
const DbInstanceClass = z.string().regex(/^(db|cache)\.[a-z0-9-]+\.[a-z0-9]+$/, { message: "must be an instance class such as db.r6g.large" });

const NodeGroup = z
  .object({
    /** Instance types, mixed in one group (the seed: c5.large and m5.large). */
    instanceTypes: z.array(InstanceType).min(1).default(["c5.large", "m5.large"]),
    scaling: Autoscaling,
    /** Root volume size in GiB. @default 50 */
    diskSizeGb: z.number().int().min(20).max(2000).default(50),
  })
  .strict();

export const AwsConfig = z
  .object({
    region: z.enum(AWS_REGIONS),
    /** The 12-digit account id the environment deploys to. */
    accountId: z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" }),
    network: z
      .object({
        cidr: networkCidr(8, 20),
        /** @default 3 */
        azCount: z.number().int().min(2).max(6).default(3),
        /**
         * The zones, by name, pinned so a zone AWS adds later never joins silently.
         * @default the region's first `azCount` letters: `<region>a`, `<region>b`, ...
         */
        availabilityZones: z.array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: "must be an availability zone name such as us-east-1a" })).optional(),
        /** One NAT gateway per AZ, or one for the VPC. @default "per-az" in production, "single" elsewhere */
        natGateways: z.enum(["per-az", "single"]).optional(),
        /** @default 365 */
        flowLogRetentionDays: RetentionDays.default(365),
      })
      .strict(),
    cluster: z
      .object({
        kubernetesVersion: KubernetesVersion.default("1.33"),
        /** Networks allowed to reach a public API endpoint. Empty keeps the endpoint private only. */
        publicAccessCidrs: z.array(AllowlistCidr).default([]),
        /** IAM principals granted cluster-admin through EKS access entries. */
        adminPrincipalArns: z.array(z.string().regex(/^arn:aws:iam::\d{12}:(role|user)\/.+$/, { message: "must be an IAM role or user ARN" })).default([]),
        onDemand: NodeGroup,
        spot: NodeGroup.optional(),
        /** Control-plane log retention. @default 365 */
        logRetentionDays: RetentionDays.default(365),
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("primary"),
        postgres: z
          .object({
            engineVersion: z.string().regex(/^\d{2}(\.\d+)?$/).default("16.6"),
            instanceClass: DbInstanceClass.default("db.r6g.large"),
            allocatedStorageGb: z.number().int().min(20).max(65536).default(100),
            maxAllocatedStorageGb: z.number().int().min(20).max(65536).default(500),
            /** @default 30 in production, 7 elsewhere */
            backupRetentionDays: z.number().int().min(1).max(35).optional(),
            /** @default true in production */
            multiAz: z.boolean().optional(),
          })
          .strict()
          .prefault({}),
        documentdb: z
          .object({
            enabled: z.boolean().default(true),
            instanceClass: DbInstanceClass.default("db.r6g.large"),
            instances: z.number().int().min(1).max(16).default(3),
          })
          .strict()
          .prefault({}),
        redis: z
          .object({
            enabled: z.boolean().default(true),
            nodeType: DbInstanceClass.default("cache.r6g.large"),
            /** Replicas per shard. @default 2 */
            replicas: z.number().int().min(0).max(5).default(2),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** State backend for this cloud's stacks. @default the environment's */
    state: StateBackend.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const zones = value.network.availabilityZones;
    if (zones) {
      if (zones.length !== value.network.azCount) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZones"], message: `lists ${zones.length} zones but azCount is ${value.network.azCount}` });
      }
      const foreign = zones.filter((zone) => zone.slice(0, -1) !== value.region);
      if (foreign.length > 0) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZones"], message: `${foreign.join(", ")} not in region ${value.region}` });
      }
      if (new Set(zones).size !== zones.length) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZones"], message: "lists a zone twice" });
      }
    }
    const pg = value.data.postgres;
    if (pg.maxAllocatedStorageGb < pg.allocatedStorageGb) {
      ctx.addIssue({
        code: "custom",
        path: ["data", "postgres", "maxAllocatedStorageGb"],
        message: `maxAllocatedStorageGb (${pg.maxAllocatedStorageGb}) must not be below allocatedStorageGb (${pg.allocatedStorageGb})`,
      });
    }
  });
export type AwsConfig = z.infer<typeof AwsConfig>;

/** The zones of the AWS network: the configured ones, else `<region>a`, `<region>b`, ... */
export function awsAvailabilityZones(aws: AwsConfig): string[] {
  return aws.network.availabilityZones ?? Array.from({ length: aws.network.azCount }, (_, i) => `${aws.region}${String.fromCharCode(97 + i)}`);
}
