/** The GCP section of an environment: the secondary cloud. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, Cidr, DataRole, KubernetesVersion, networkCidr } from "../primitives";
import { WEEKDAYS } from "../../maintenance";
import { GCP_REGIONS } from "../regions";
import { StateBackend } from "../state";

const MachineType = z.string().regex(/^[a-z0-9]+-[a-z0-9-]+$/, { message: "must be a GCE machine type such as e2-standard-4" });

const NodePool = z
  .object({
    machineType: MachineType.default("e2-standard-4"),
    /** Nodes per zone. */
    scaling: Autoscaling,
    diskSizeGb: z.number().int().min(20).max(2000).default(100),
  })
  .strict();

export const GcpConfig = z
  .object({
    region: z.enum(GCP_REGIONS),
    projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "must be a GCP project id (6-30 lowercase letters, digits, '-')" }),
    network: z
      .object({
        /** Primary range of the node subnet. */
        cidr: networkCidr(8, 22),
        /** Secondary range for pods. */
        podsCidr: networkCidr(8, 21),
        /** Secondary range for services. */
        servicesCidr: networkCidr(8, 24),
        /** Range reserved for private service access (Cloud SQL, Memorystore). */
        privateServicesCidr: networkCidr(8, 24),
      })
      .strict(),
    cluster: z
      .object({
        kubernetesVersion: KubernetesVersion.optional(),
        releaseChannel: z.enum(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
        /** /28 for the control plane's private endpoint. */
        masterCidr: Cidr.refine((v) => v.endsWith("/28"), { message: "must be a /28 block" }),
        /** Networks allowed to reach the control plane. Empty keeps it private only. */
        masterAuthorizedCidrs: z.array(AllowlistCidr).default([]),
        standard: NodePool,
        /** Spot VMs (the seed's preemptible nodes). */
        spot: NodePool.optional(),
        /**
         * Weekly window for automatic upgrades (UTC). GKE needs 48 h of windows in any 32 days,
         * each at least 4 h long; the loader checks it.
         */
        maintenance: z
          .object({
            days: z.array(z.enum(WEEKDAYS)).min(1).default(["SA", "SU"]),
            startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM (UTC)" }).default("03:00"),
            durationHours: z.number().int().min(4).max(24).default(6),
          })
          .strict()
          .prefault({}),
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("replica"),
        postgres: z
          .object({
            version: z.enum(["POSTGRES_15", "POSTGRES_16", "POSTGRES_17", "POSTGRES_18"]).default("POSTGRES_17"),
            /**
             * TLS for every connection. The default also requires a client certificate, which the
             * Cloud SQL Auth Proxy and connectors present; ENCRYPTED_ONLY admits password-only TLS clients.
             * @default "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
             */
            sslMode: z.enum(["TRUSTED_CLIENT_CERTIFICATE_REQUIRED", "ENCRYPTED_ONLY"]).default("TRUSTED_CLIENT_CERTIFICATE_REQUIRED"),
            /** Cloud SQL machine tier. */
            tier: z.string().regex(/^db-[a-z0-9-]+$/, { message: "must be a Cloud SQL tier such as db-custom-2-7680" }).default("db-custom-2-7680"),
            diskSizeGb: z.number().int().min(10).max(65536).default(100),
            /** A standby in another zone. @default true in production */
            highAvailability: z.boolean().optional(),
            /** A read replica. @default true in production */
            readReplica: z.boolean().optional(),
            /** Automated backups kept. @default 30 in production, 7 elsewhere */
            backupRetentionCount: z.number().int().min(7).max(365).optional(),
          })
          .strict()
          .prefault({}),
        redis: z
          .object({
            enabled: z.boolean().default(true),
            memorySizeGb: z.number().int().min(1).max(300).default(5),
            /** @default STANDARD_HA in production, BASIC elsewhere */
            tier: z.enum(["BASIC", "STANDARD_HA"]).optional(),
          })
          .strict()
          .prefault({}),
        /** MongoDB Atlas on GCP, peered with the VPC. Leave out where there is no Atlas organisation. */
        mongodbAtlas: z
          .object({
            /** Atlas organisation id (24 hex characters). */
            orgId: z.string().regex(/^[a-f0-9]{24}$/, { message: "must be a 24-character hexadecimal Atlas organisation id" }),
            instanceSize: z.string().regex(/^M\d{2,3}$/, { message: "must be a dedicated Atlas tier such as M10 (shared tiers cannot peer)" }).default("M10"),
            /** Atlas's own CIDR for its GCP network container (peered with the VPC). */
            cidr: networkCidr(16, 21),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    state: StateBackend.optional(),
  })
  .strict();
export type GcpConfig = z.infer<typeof GcpConfig>;

/** Atlas's name for a GCP region (Atlas uses its own region names). */
export const ATLAS_GCP_REGIONS: Readonly<Record<(typeof GCP_REGIONS)[number], string>> = {
  "us-central1": "CENTRAL_US",
  "us-east1": "EASTERN_US",
  "us-east4": "US_EAST_4",
  "us-west1": "WESTERN_US",
  "us-west2": "US_WEST_2",
  "northamerica-northeast1": "NORTH_AMERICA_NORTHEAST_1",
  "europe-west1": "WESTERN_EUROPE",
  "europe-west2": "EUROPE_WEST_2",
  "europe-west3": "EUROPE_WEST_3",
  "europe-west4": "EUROPE_WEST_4",
  "europe-north1": "EUROPE_NORTH_1",
  "asia-east1": "EASTERN_ASIA_PACIFIC",
  "asia-northeast1": "NORTHEASTERN_ASIA_PACIFIC",
  "asia-southeast1": "SOUTHEASTERN_ASIA_PACIFIC",
  "australia-southeast1": "AUSTRALIA_SOUTHEAST_1",
};
