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

/**
 * Version of a generated copy-user password on the primary: raising it writes a new password into
 * Secrets Manager and, through the primary's contract, into every copy of it in other clouds on
 * their next apply (rotation runbook, docs/data-across-clouds.md).
 */
const PasswordVersion = z.number({ error: "must be a whole number" }).int({ error: "must be a whole number" }).positive({ error: "must be 1 or more" }).default(1);

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
        /**
         * When the backup cloud restores the newest archived dump into a scratch database and
         * checks its canary (docs/data-across-clouds.md), UTC. The hub alerts when the newest
         * verified dump is older than 26 h; that age reaches (the dump's age when checked) plus
         * (the interval between checks) just before the next check, so a daily check that picks a
         * dump of up to 6 h would page daily: twice a day, 3 h 45 min after a default refresh,
         * keeps it under 16 h and pages when one check in a row is missed.
         * @default twice a day, at 04:15 and 16:15
         */
        verifySchedule: CronSchedule.default("15 4,16 * * *"),
        /**
         * Replication lag of the PostgreSQL replica (DMS on GCP), in seconds, above which the hub
         * alerts (after 15 minutes).
         * @default 300
         */
        maxReplicationLagSeconds: z.number({ error: "must be a number of seconds" }).int({ error: "must be a whole number of seconds" }).positive({ error: "must be positive" }).default(300),
        /**
         * Version of the replication user's generated password (`addtocloud_replication`): raise it to rotate.
         * @default 1
         */
        replicationPasswordVersion: PasswordVersion,
      })
      .strict()
      .prefault({}),
    objects: z
      .object({
        /**
         * When the backup cloud's object container is brought up to date with the primary bucket
         * (`rclone copy` on AKS, never deleting), UTC. The copy is at most this interval (plus the run) behind.
         * @default hourly at :15
         */
        copySchedule: CronSchedule.default("15 * * * *"),
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
        /**
         * Version of the DocumentDB copy user's generated password (`addtocloud_copy`): raise it to rotate.
         * @default 1
         */
        copyPasswordVersion: PasswordVersion,
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type DataCopiesConfig = z.infer<typeof DataCopiesConfig>;

