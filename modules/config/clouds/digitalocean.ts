/** The DigitalOcean section of an environment: the fourth cluster. */
import { z } from "zod";
import { Autoscaling, DataRole, KubernetesVersion, networkCidr } from "../primitives";
import { DIGITALOCEAN_REGIONS } from "../regions";
import { StateBackend } from "../state";

export const DigitalOceanConfig = z
  .object({
    region: z.enum(DIGITALOCEAN_REGIONS),
    network: z.object({ cidr: networkCidr(8, 24) }).strict(),
    cluster: z
      .object({
        kubernetesVersion: KubernetesVersion.optional(),
        nodeSize: z.string().regex(/^[a-z0-9-]+$/).default("s-4vcpu-8gb"),
        scaling: Autoscaling,
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
export type DigitalOceanConfig = z.infer<typeof DigitalOceanConfig>;
