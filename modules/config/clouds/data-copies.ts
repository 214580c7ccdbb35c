/** The environment-wide `dataCopies` section: what of the primary reaches the replica and backup clouds. */
import { z } from "zod";

/** Engines whose primary is copied to other clouds. Redis is not: each cloud's cache warms from its own database. */
export const COPIED_ENGINES = ["postgres", "mongodb"] as const;
export type CopiedEngine = (typeof COPIED_ENGINES)[number];

export const DataCopiesConfig = z
  .object({
    /**
     * Engines whose primary reaches the replica and backup clouds. Leave one out where a replica
     * cloud has no place for it (e.g. no Atlas organisation for the MongoDB replica on GCP).
     * @default ["postgres", "mongodb"]
     */
    engines: z
      .array(z.enum(COPIED_ENGINES))
      .default([...COPIED_ENGINES])
      .refine((engines) => new Set(engines).size === engines.length, { message: "lists an engine twice" }),
  })
  .strict();
export type DataCopiesConfig = z.infer<typeof DataCopiesConfig>;

