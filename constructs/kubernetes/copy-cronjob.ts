/**
 * The CronJob shape every data-copy job shares (refreshes, objects copy, restore check): UTC
 * schedule, never two runs at once, three finished Jobs of each outcome kept for the logs, at most
 * six hours a run, finished Jobs removed after a week. Only what differs is given.
 */

/** Properties of {@link copyCronJob}. */
export interface CopyCronJobProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Five-field cron schedule, UTC. */
  readonly schedule: string;
  /** Retries of a failed pod before the Job fails. */
  readonly backoffLimit: number;
  /** How late a missed run may still start. @default 3600 */
  readonly startingDeadlineSeconds?: number;
  /** The pod template (metadata and spec). */
  readonly template: { readonly metadata: Record<string, unknown>; readonly spec: Record<string, unknown> };
}

/** The CronJob manifest of a data-copy job. */
export function copyCronJob(props: CopyCronJobProps): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: props.name, labels: { ...props.labels } },
    spec: {
      schedule: props.schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: props.startingDeadlineSeconds ?? 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: { ...props.labels } },
        spec: {
          backoffLimit: props.backoffLimit,
          // A run longer than this is cut (a copy continues on the next run; a dump starts again).
          activeDeadlineSeconds: 6 * 3600,
          ttlSecondsAfterFinished: 7 * 86400,
          template: props.template,
        },
      },
    },
  };
}
