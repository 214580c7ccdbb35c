/** The Azure section of an environment: the tertiary cloud, holding the backup databases. */
import { z } from "zod";
import { AllowlistCidr, Autoscaling, DataRole, KubernetesVersion, NonEmptyPoolScaling, networkCidr } from "../primitives";
import { AZURE_REGIONS } from "../regions";
import { StateBackend } from "../state";

const VmSize = z.string().regex(/^Standard_[A-Za-z0-9_]+$/, { message: "must be an Azure VM size such as Standard_D2s_v3" });

export const AzureConfig = z
  .object({
    location: z.enum(AZURE_REGIONS),
    subscriptionId: z.string().guid({ message: "must be a subscription id (UUID)" }),
    tenantId: z.string().guid({ message: "must be a tenant id (UUID)" }),
    /**
     * Public networks Terraform runs from, admitted to the data planes it must reach from outside
     * the VNet: the state storage account and, with `keyVaultAccess: "allowlist"`, the data Key
     * Vault and Vault's unseal Key Vault.
     * @default [] (Key Vaults only through the VNet; the state account from any network, Entra ID only)
     */
    deployAllowlist: z.array(AllowlistCidr).default([]),
    /**
     * How Terraform reaches the Key Vaults' data planes (the data vault's key and password, Vault's
     * unseal key). `private-endpoint`: Terraform runs inside the VNet (or a network peered with it
     * whose DNS resolves privatelink.vaultcore.azure.net through the VNet's zone); both vaults keep
     * public network access off and every key and secret waits for its vault's private endpoint and
     * DNS record. `allowlist`: Terraform runs from the networks in `deployAllowlist`, which the
     * vaults admit on their public endpoint (the unseal vault also admits the cluster's egress).
     * @default "private-endpoint"
     */
    keyVaultAccess: z.enum(["private-endpoint", "allowlist"]).default("private-endpoint"),
    network: z
      .object({
        /** The VNet: nodes, Application Gateway, private endpoints and the PostgreSQL subnet are carved from it. */
        cidr: networkCidr(8, 20),
        /** Pod range of Azure CNI overlay (not routed in the VNet). @default 100.64.0.0/16 */
        podCidr: networkCidr(8, 20).default("100.64.0.0/16"),
        /** Kubernetes service range. @default 100.65.0.0/16 */
        serviceCidr: networkCidr(8, 24).default("100.65.0.0/16"),
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
          .object({ vmSize: VmSize.default("Standard_D2s_v3"), scaling: NonEmptyPoolScaling })
          .strict(),
        userPool: z
          .object({ vmSize: VmSize.default("Standard_D2s_v3"), scaling: Autoscaling })
          .strict(),
        /** AKS upgrades itself on this channel. */
        upgradeChannel: z.enum(["patch", "stable", "rapid", "node-image"]).default("patch"),
        /** Weekly window for automatic upgrades (UTC). */
        maintenance: z
          .object({
            day: z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]).default("Sunday"),
            startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM (UTC)" }).default("04:00"),
            durationHours: z.number().int().min(4).max(24).default(4),
          })
          .strict()
          .prefault({}),
        /** Log Analytics retention of control-plane and container logs. */
        logRetentionDays: z.number().int().min(30).max(730).default(90),
      })
      .strict(),
    data: z
      .object({
        role: DataRole.default("backup"),
        postgres: z
          .object({
            version: z.enum(["14", "15", "16", "17"]).default("17"),
            /** @default GP_Standard_D2ds_v5 in production, B_Standard_B1ms elsewhere */
            skuName: z.string().regex(/^(B|GP|MO)_Standard_[A-Za-z0-9_]+$/, { message: "must be a Flexible Server SKU such as GP_Standard_D2ds_v5" }).optional(),
            storageMb: z.number().int().min(32768).default(65536),
            /** @default 35 in production, 7 elsewhere */
            backupRetentionDays: z.number().int().min(7).max(35).optional(),
          })
          .strict()
          .prefault({}),
        cosmosMongo: z
          .object({
            enabled: z.boolean().default(true),
            serverVersion: z.enum(["4.2", "5.0", "6.0", "7.0"]).default("7.0"),
            /** Second region (production). @default westus, eastus's pair */
            secondaryLocation: z.enum(AZURE_REGIONS).optional(),
          })
          .strict()
          .prefault({}),
        redis: z
          .object({
            enabled: z.boolean().default(true),
            /** Production (Premium): replicas of the primary; the cache has replicas + 1 nodes. */
            replicasPerPrimary: z.number().int().min(1).max(3).default(2),
            /** Production (Premium): zones the nodes spread over; Azure refuses more zones than nodes. */
            zones: z.array(z.enum(["1", "2", "3"])).min(1).max(3).default(["1", "2", "3"]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    state: StateBackend.optional(),
  })
  .strict();
export type AzureConfig = z.infer<typeof AzureConfig>;
