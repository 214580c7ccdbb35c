/** Platform add-ons installed on every cluster. */
import { z } from "zod";

export const PlatformConfig = z
  .object({
    enabled: z.boolean().default(true),
  })
  .passthrough();
export type PlatformConfig = z.infer<typeof PlatformConfig>;
