/** Platform add-ons installed on every cluster. */
import { z } from "zod";
import { OperationsAddonsConfig } from "./platform-operations";

export const PlatformConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Observability, Vault, Falco, Gatekeeper and autoscaling add-ons. */
    operations: OperationsAddonsConfig.prefault({}),
  })
  .passthrough();
export type PlatformConfig = z.infer<typeof PlatformConfig>;
