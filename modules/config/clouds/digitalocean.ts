/** The DigitalOcean section of an environment: the fourth cluster, its databases and Spaces. */
import { z } from "zod";
import { AllowlistCidr, DataRole, KubernetesVersion, NonEmptyPoolScaling, networkCidr } from "../primitives";
import { DIGITALOCEAN_REGIONS } from "../regions";
import { StateBackend } from "../state";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
/** A droplet or database size slug, e.g. `s-4vcpu-8gb`, `db-s-2vcpu-4gb`. */
const SizeSlug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, { message: "must be a DigitalOcean size slug such as s-4vcpu-8gb" });
/** Database cluster nodes: 1 (no standby), 2 or 3 (primary plus standbys). */
const NodeCount = z.number().int().min(1).max(3);

/** One managed database cluster. `nodeCount` defaults by stage (production has standbys). */
const databaseCluster = (version: string, size: string) =>
  z
    .object({
      version: z.string().regex(/^\d+(\.\d+)?$/, { message: "must be an engine major version such as 17" }).default(version),
      size: SizeSlug.default(size),
      /** @default 2 in production (primary + standby; 3 for MongoDB's replica set), 1 elsewhere */
      nodeCount: NodeCount.optional(),
    })
    .strict();

export const DigitalOceanConfig = z
  .object({
    region: z.enum(DIGITALOCEAN_REGIONS),
    network: z.object({ cidr: networkCidr(8, 24) }).strict(),
    cluster: z
      .object({
        /** Kubernetes minor version; the newest patch of it is used. @default the newest DOKS offers */
        kubernetesVersion: KubernetesVersion.optional(),
        nodeSize: SizeSlug.default("s-4vcpu-8gb"),
        /** The node pool autoscales between min and max (DOKS starts it at min); it is the only pool, so min >= 1. */
        scaling: NonEmptyPoolScaling,
        /** Highly available control plane. @default true in production */
        ha: z.boolean().optional(),
        /**
         * Networks allowed to reach the Kubernetes API besides the VPC (the control-plane firewall).
         * Never 0.0.0.0/0. @default [] (only from inside the VPC)
         */
        apiAllowlist: z.array(AllowlistCidr).default([]),
        /** Let the cluster pull from the account's DigitalOcean Container Registry. @default false */
        registryIntegration: z.boolean().default(false),
        /** When DOKS may upgrade and surge-replace nodes (UTC). */
        maintenance: z
          .object({
            day: z.enum([...WEEKDAYS, "any"]).default("sunday"),
            startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM (UTC)" }).default("04:00"),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
    data: z
      .object({
        /**
         * `replica` needs a private link to the primary (Partner Network Connect in interconnect).
         * @default "standalone": the databases serve DOKS and copy nothing
         */
        role: DataRole.default("standalone"),
        postgres: databaseCluster("17", "db-s-2vcpu-4gb")
          .extend({
            /** A read replica in the same region. @default true in production */
            readReplica: z.boolean().optional(),
          })
          .strict()
          .prefault({}),
        /** MongoDB cluster; `enabled: false` leaves it out. */
        mongodb: databaseCluster("8", "db-s-2vcpu-4gb")
          .extend({ enabled: z.boolean().default(true) })
          .strict()
          .refine((m) => m.nodeCount !== 2, { path: ["nodeCount"], message: "a MongoDB replica set has 1 or 3 nodes, not 2" })
          .prefault({}),
        /** Redis-compatible cache: Valkey (DigitalOcean's successor to its Redis service). */
        cache: databaseCluster("8", "db-s-1vcpu-2gb").extend({ enabled: z.boolean().default(true) }).strict().prefault({}),
        /** When the database clusters may be updated (UTC). */
        maintenance: z
          .object({
            day: z.enum(WEEKDAYS).default("sunday"),
            hour: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM (UTC)" }).default("05:00"),
          })
          .strict()
          .prefault({}),
        objects: z
          .object({
            /** Spaces bucket names are global. @default `<project>-<env>-objects-<region>` */
            bucketName: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { message: "must be 3-63 lowercase letters, digits and '-'" }).optional(),
            /** Days a replaced or deleted object version is kept. */
            noncurrentVersionExpirationDays: z.number().int().min(1).max(3650).default(90),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    state: StateBackend.optional(),
  })
  .strict();
export type DigitalOceanConfig = z.infer<typeof DigitalOceanConfig>;
