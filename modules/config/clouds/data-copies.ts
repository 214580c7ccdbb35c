/** The environment-wide `dataCopies` section: what of the primary reaches the replica and backup clouds. */
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";

/**
 * A Kubernetes CronJob schedule: five cron fields (minute hour day-of-month month day-of-week),
 * in UTC, parsed by cron-parser so a typo fails the config load instead of the CronJob's creation.
 */
export const CronSchedule = z.string().superRefine((value, ctx) => {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 5) {
    ctx.addIssue({ code: "custom", message: `must have 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}` });
    return;
  }
  try {
    CronExpressionParser.parse(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `is not a cron schedule: ${(error as Error).message}` });
  }
});

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
    postgres: z
      .object({
        /**
         * When the backup cloud's PostgreSQL is refreshed from the primary (pg_dump, pg_restore), UTC.
         * The backup copy is at most this interval (plus the run) behind.
         * @default every 6 hours at :30
         */
        refreshSchedule: CronSchedule.default("30 */6 * * *"),
      })
      .strict()
      .prefault({}),
    mongodb: z
      .object({
        /**
         * When the replica's and the backup's MongoDB (Atlas on GCP, Cosmos DB on Azure) are
         * refreshed from the primary's DocumentDB (mongodump, mongorestore --drop), UTC. Each copy
         * is at most this interval (plus the run) behind.
         * @default every 6 hours on the hour
         */
        refreshSchedule: CronSchedule.default("0 */6 * * *"),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type DataCopiesConfig = z.infer<typeof DataCopiesConfig>;

