/** The Azure section of an environment: the tertiary cloud, holding the backup databases. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, DataRole, KubernetesVersion, networkCidr } from "../primitives";
import { AZURE_REGIONS } from "../regions";
import { StateBackend } from "../state";

const VmSize = z.string().regex(/^Standard_[A-Za-z0-9_]+$/, { message: "must be an Azure VM size such as Standard_D2s_v3" });

export const AzureConfig = z
  .object({
    location: z.enum(AZURE_REGIONS),
    subscriptionId: z.string().guid({ message: "must be a subscription id (UUID)" }),
    tenantId: z.string().guid({ message: "must be a tenant id (UUID)" }),
    network: z
      .object({
        cidr: networkCidr(8, 20),
      })
      .strict(),
    cluster: z
      .object({
        kubernetesVersion: KubernetesVersion.optional(),
        /** Networks allowed to reach the API server. Empty keeps the cluster private only. */
        apiServerAuthorizedCidrs: z.array(AllowlistCidr).default([]),
        /** Entra ID groups that administer the cluster. */
        adminGroupObjectIds: z.array(z.string().guid()).default([]),
        systemPool: z
          .object({ vmSize: VmSize.default("Standard_D2s_v3"), scaling: Autoscaling })
          .strict(),
        userPool: z
          .object({ vmSize: VmSize.default("Standard_D2s_v3"), scaling: Autoscaling })
          .strict(),
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("backup"),
      })
      .passthrough()
      .prefault({}),
    state: StateBackend.optional(),
  })
  .strict();
export type AzureConfig = z.infer<typeof AzureConfig>;
