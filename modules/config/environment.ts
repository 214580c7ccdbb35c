/**
 * The schema of one environment: who owns it, which clouds it enables, where state lives.
 */
import { z } from "zod";
import { AwsConfig } from "./clouds/aws";
import { AzureConfig } from "./clouds/azure";
import { CloudflareConfig } from "./clouds/cloudflare";
import { DataCopiesConfig } from "./clouds/data-copies";
import { DeliveryConfig } from "./clouds/delivery";
import { DigitalOceanConfig } from "./clouds/digitalocean";
import { GcpConfig } from "./clouds/gcp";
import { MessagingConfig } from "./messaging";
import { InterconnectConfig } from "./clouds/interconnect";
import { PlatformConfig } from "./clouds/platform";
import { Domain, ResourceNamePart } from "./primitives";
import { StateBackend } from "./state";

/** The Kubernetes clouds, in failover order of the architecture: primary, secondary, tertiary, fourth. */
export const KUBERNETES_CLOUDS = ["aws", "gcp", "azure", "digitalocean"] as const;
export type KubernetesCloud = (typeof KUBERNETES_CLOUDS)[number];
/** `interconnect` owns the link stacks between two clouds (`<env>-interconnect-<a>-<b>`). */
export type CloudName = KubernetesCloud | "cloudflare" | "interconnect";

export const EnvironmentConfig = z
  .object({
    /** Used in stack ids and resource names. */
    name: ResourceNamePart,
    /** Production turns on the strict defaults and the policy guards. */
    stage: z.enum(["production", "staging", "development"]),
    project: ResourceNamePart.default("addtocloud"),
    owner: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: "must be lowercase letters, digits and '-'" }),
    costCenter: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: "must be lowercase letters, digits and '-'" }),
    /** The public domain of this environment. */
    domain: Domain,
    /** Where state lives unless a cloud section overrides it. @default local files */
    state: StateBackend.default({ type: "local", directory: "terraform-state" }),
    clouds: z
      .object({
        aws: AwsConfig.optional(),
        gcp: GcpConfig.optional(),
        azure: AzureConfig.optional(),
        digitalocean: DigitalOceanConfig.optional(),
      })
      .strict(),
    cloudflare: CloudflareConfig.optional(),
    platform: PlatformConfig.prefault({}),
    /** Kafka and RabbitMQ on every enabled cloud (docs/messaging.md). */
    messaging: MessagingConfig.prefault({}),
    /** Private links between the clouds (HA VPN with BGP). @default every pair of enabled AWS, GCP and Azure */
    interconnect: InterconnectConfig.prefault({}),
    /** The pipeline that plans and applies the stacks, and the keyless identities it assumes. */
    delivery: DeliveryConfig.prefault({}),
    /** What of the primary's data reaches the replica and backup clouds (see modules/config/data-roles.ts). */
    dataCopies: DataCopiesConfig.prefault({}),
  })
  .strict();

export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;
/** What a config file writes: defaults may be left out. */
export type EnvironmentInput = z.input<typeof EnvironmentConfig>;

/** The Kubernetes clouds an environment enables, in failover order. */
export function enabledClouds(env: EnvironmentConfig): KubernetesCloud[] {
  return KUBERNETES_CLOUDS.filter((cloud) => env.clouds[cloud] !== undefined);
}

/** True for the production stage: strict defaults and policy guards. */
export function isProduction(env: EnvironmentConfig): boolean {
  return env.stage === "production";
}
