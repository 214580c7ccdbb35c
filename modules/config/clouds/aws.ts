/** The AWS section of an environment: the primary cloud. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, DataRole, KubernetesVersion, RetentionDays, networkCidr } from "../primitives";
import { EC2_INSTANCE_SHAPES, describeShape } from "../instance-shapes";
import { AWS_REGIONS } from "../regions";
import { StateBackend } from "../state";

const InstanceType = z.string().regex(/^[a-z][a-z0-9-]*\d[a-z0-9-]*\.[a-z0-9]+$/, { message: "must be an EC2 instance type such as m5.large" });
const DbInstanceClass = z.string().regex(/^(db|cache)\.[a-z0-9-]+\.[a-z0-9]+$/, { message: "must be an instance class such as db.r6g.large" });

/**
 * One managed node group: one shape (every instance type with the same vCPU and memory), because
 * the cluster autoscaler sizes a group from one of its types. Different shapes are different groups.
 */
const NodeGroup = z
  .object({
    /** Part of the node group's name and its `addtocloud.tech/node-group` label, e.g. `c5`, `m5-spot`. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,18}[a-z0-9]$/, { message: "must be 2-20 lowercase letters, digits and '-'" }),
    /** How the group buys capacity. @default "on-demand" */
    capacity: z.enum(["on-demand", "spot"]).default("on-demand"),
    /** Instance types of one shape (spot groups list several to find capacity). */
    instanceTypes: z.array(InstanceType).min(1),
    scaling: Autoscaling,
    /** Root volume size in GiB. @default 50 */
    diskSizeGb: z.number().int().min(20).max(2000).default(50),
  })
  .strict()
  .superRefine((group, ctx) => {
    group.instanceTypes.forEach((type, index) => {
      if (!EC2_INSTANCE_SHAPES[type]) {
        ctx.addIssue({
          code: "custom",
          path: ["instanceTypes", index],
          message: `${type} is not in the instance shape table (modules/config/instance-shapes.ts); add it with its vCPU and memory`,
        });
      }
    });
    const shapes = [...new Set(group.instanceTypes.filter((type) => EC2_INSTANCE_SHAPES[type]).map((type) => describeShape(EC2_INSTANCE_SHAPES[type])))];
    if (shapes.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["instanceTypes"],
        message: `mixes shapes (${group.instanceTypes.map((type) => `${type}: ${EC2_INSTANCE_SHAPES[type] ? describeShape(EC2_INSTANCE_SHAPES[type]) : "unknown"}`).join(", ")}); the cluster autoscaler assumes one shape per group: make a group per shape`,
      });
    }
  });

/** The prefix of a region's availability zone ids (`use1-az1` is in us-east-1). */
export const AWS_ZONE_ID_PREFIXES: Readonly<Record<(typeof AWS_REGIONS)[number], string>> = {
  "us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2", "ca-central-1": "cac1", "sa-east-1": "sae1",
  "eu-west-1": "euw1", "eu-west-2": "euw2", "eu-west-3": "euw3", "eu-central-1": "euc1", "eu-north-1": "eun1", "eu-south-1": "eus1",
  "ap-south-1": "aps1", "ap-southeast-1": "apse1", "ap-southeast-2": "apse2", "ap-northeast-1": "apne1", "ap-northeast-2": "apne2",
};

/**
 * Zone ids where EKS refuses control-plane subnets (EKS user guide, "Subnet requirements for
 * clusters"): the cluster's subnets must avoid them.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/**
 * The zone ids each region offers every account, where they are not `<prefix>-az1..az3`
 * (us-east-1 has six; us-west-1 gives new accounts az1 and az3; ap-northeast-1 az1, az2 and az4).
 */
const REGION_ZONE_IDS: Partial<Record<(typeof AWS_REGIONS)[number], readonly string[]>> = {
  "us-east-1": ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"],
  "us-west-1": ["usw1-az1", "usw1-az2", "usw1-az3"],
  "ap-northeast-1": ["apne1-az1", "apne1-az2", "apne1-az4"],
};

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
         * The zones, by zone id (`use1-az1`): a zone name such as `us-east-1a` maps to a different
         * zone in every account, a zone id to the same one. Pinned so a zone AWS adds later never
         * joins silently; zones where EKS refuses control-plane subnets are refused.
         * @default the region's first `azCount` zone ids that EKS supports (`use1-az1`, `use1-az2`, `use1-az4`)
         */
        availabilityZoneIds: z.array(z.string().regex(/^[a-z]{3,5}\d-az\d+$/, { message: "must be an availability zone id such as use1-az1" })).optional(),
        /** One NAT gateway per AZ, or one for the VPC. @default "per-az" in production, "single" elsewhere */
        natGateways: z.enum(["per-az", "single"]).optional(),
        /** @default 365 */
        flowLogRetentionDays: RetentionDays.default(365),
      })
      .strict(),
    cluster: z
      .object({
        /** EKS Kubernetes minor, in standard support (modules/config/versions.ts). @default "1.35" */
        kubernetesVersion: KubernetesVersion.default("1.35"),
        /** Networks allowed to reach a public API endpoint. Empty keeps the endpoint private only. */
        publicAccessCidrs: z.array(AllowlistCidr).default([]),
        /** IAM principals granted cluster-admin through EKS access entries. */
        adminPrincipalArns: z.array(z.string().regex(/^arn:aws:iam::\d{12}:(role|user)\/.+$/, { message: "must be an IAM role or user ARN" })).default([]),
        /** Managed node groups, one shape each; at least one buys on-demand capacity. */
        nodeGroups: z.array(NodeGroup).min(1),
        /** Control-plane log retention. @default 365 */
        logRetentionDays: RetentionDays.default(365),
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("primary"),
        postgres: z
          .object({
            /**
             * The major only: RDS moves minors by the automatic minor upgrade, and a pinned minor
             * turns every later plan into a downgrade RDS refuses (terraform-provider-aws#39579).
             * @default "17"
             */
            engineVersion: z
              .string()
              .regex(/^\d{2}$/, { message: "must be a PostgreSQL major version such as 17 (the minor moves with automatic minor upgrades; a pinned minor becomes a refused downgrade)" })
              .default("17"),
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
            /** DocumentDB engine version (patches come in the maintenance window). @default "5.0.0" */
            engineVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { message: "must be a DocumentDB engine version such as 5.0.0" }).default("5.0.0"),
            instanceClass: DbInstanceClass.default("db.r6g.large"),
            instances: z.number().int().min(1).max(16).default(3),
          })
          .strict()
          .prefault({}),
        redis: z
          .object({
            enabled: z.boolean().default(true),
            /** Redis OSS major.minor (the patch moves with automatic minor upgrades). @default "7.1" */
            engineVersion: z.string().regex(/^\d+\.\d+$/, { message: "must be a Redis major.minor version such as 7.1" }).default("7.1"),
            nodeType: DbInstanceClass.default("cache.r6g.large"),
            /** Replicas per shard. @default 2 */
            replicas: z.number().int().min(0).max(5).default(2),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /**
     * EC2 Auto Scaling's service-linked role (AWSServiceRoleForAutoScaling), which the node volume
     * key's policy names: KMS refuses a policy naming a role that does not exist. `create` makes it
     * (IAM refuses if the account already has it: an account that ever had an Auto Scaling group
     * does); `existing` reads the account's role and fails the plan if it is missing.
     * @default "create"
     */
    autoScalingServiceLinkedRole: z.enum(["create", "existing"]).default("create"),
    /** State backend for this cloud's stacks. @default the environment's */
    state: StateBackend.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const zones = value.network.availabilityZoneIds;
    if (zones) {
      if (zones.length !== value.network.azCount) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZoneIds"], message: `lists ${zones.length} zones but azCount is ${value.network.azCount}` });
      }
      const prefix = AWS_ZONE_ID_PREFIXES[value.region];
      // Zones that are not ids at all are reported by the field's own pattern.
      const foreign = zones.filter((zone) => /-az\d+$/.test(zone) && zone.split("-az")[0] !== prefix);
      if (foreign.length > 0) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZoneIds"], message: `${foreign.join(", ")} not in region ${value.region} (its zone ids start with ${prefix}-)` });
      }
      if (new Set(zones).size !== zones.length) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZoneIds"], message: "lists a zone twice" });
      }
      const unsupported = zones.filter((zone) => EKS_UNSUPPORTED_ZONE_IDS.includes(zone));
      if (unsupported.length > 0) {
        ctx.addIssue({ code: "custom", path: ["network", "availabilityZoneIds"], message: `${unsupported.join(", ")}: EKS refuses control-plane subnets in this zone` });
      }
    } else if (defaultZoneIds(value.region).length < value.network.azCount) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "azCount"],
        message: `${value.region} has ${defaultZoneIds(value.region).length} zones EKS supports by default; list availabilityZoneIds or lower azCount`,
      });
    }
    const groups = value.cluster.nodeGroups;
    groups.forEach((group, index) => {
      if (groups.findIndex((other) => other.name === group.name) !== index) {
        ctx.addIssue({ code: "custom", path: ["cluster", "nodeGroups", index, "name"], message: `node group name '${group.name}' is used twice` });
      }
    });
    if (!groups.some((group) => group.capacity === "on-demand" && group.scaling.min >= 1)) {
      ctx.addIssue({ code: "custom", path: ["cluster", "nodeGroups"], message: "needs an on-demand group with scaling.min >= 1: it runs the cluster's system pods" });
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

/** The zone ids a region offers by default, without those where EKS refuses control-plane subnets. */
function defaultZoneIds(region: (typeof AWS_REGIONS)[number]): string[] {
  const prefix = AWS_ZONE_ID_PREFIXES[region];
  const ids = REGION_ZONE_IDS[region] ?? [1, 2, 3].map((n) => `${prefix}-az${n}`);
  return ids.filter((id) => !EKS_UNSUPPORTED_ZONE_IDS.includes(id));
}

/** The zone ids of the AWS network: the configured ones, else the region's first `azCount` that EKS supports. */
export function awsAvailabilityZoneIds(aws: AwsConfig): string[] {
  return aws.network.availabilityZoneIds ?? defaultZoneIds(aws.region).slice(0, aws.network.azCount);
}
