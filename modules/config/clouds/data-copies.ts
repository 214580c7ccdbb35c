/** The environment-wide `dataCopies` section: what of the primary reaches the replica and backup clouds. */
import { z } from "zod";

/**
 * What of the primary is copied to other clouds: the two databases and the object store. Redis is
 * not: each cloud's cache warms from its own database (docs/data-across-clouds.md).
 */
export const COPIED_ENGINES = ["postgres", "mongodb", "objects"] as const;
export type CopiedEngine = (typeof COPIED_ENGINES)[number];

export const DataCopiesConfig = z
  .object({
    /**
     * Engines whose primary reaches the replica and backup clouds. Leave one out where a replica
     * cloud has no place for it (e.g. no Atlas organisation for the MongoDB replica on GCP).
     * @default ["postgres", "mongodb", "objects"]
     */
    engines: z
      .array(z.enum(COPIED_ENGINES))
      .default([...COPIED_ENGINES])
      .refine((engines) => new Set(engines).size === engines.length, { message: "lists an engine twice" }),
  })
  .strict();
export type DataCopiesConfig = z.infer<typeof DataCopiesConfig>;

