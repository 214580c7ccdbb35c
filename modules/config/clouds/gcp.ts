/** The GCP section of an environment: the secondary cloud. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, Cidr, DataRole, KubernetesVersion, networkCidr } from "../primitives";
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
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("replica"),
      })
      .passthrough()
      .prefault({}),
    state: StateBackend.optional(),
  })
  .strict();
export type GcpConfig = z.infer<typeof GcpConfig>;
