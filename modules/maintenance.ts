/**
 * Weekly maintenance windows and the availability the clouds demand of them. GKE refuses a
 * recurring window that leaves less than 48 hours of maintenance in any 32-day rolling span,
 * counting only contiguous windows of at least four hours
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/maintenance-window).
 */

/** Days of the week as RFC 5545 `BYDAY` codes (GKE's recurrence syntax). */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** GKE's minimum: hours of maintenance availability in any span of {@link GKE_MAINTENANCE_SPAN_DAYS}. */
export const GKE_MINIMUM_MAINTENANCE_HOURS = 48;
export const GKE_MAINTENANCE_SPAN_DAYS = 32;
/** Windows shorter than this do not count towards GKE's availability. */
export const GKE_MINIMUM_WINDOW_HOURS = 4;

/**
 * The fewest maintenance hours that any span of `spanDays` consecutive days holds, for a window of
 * `durationHours` opening on each of `days` every week. Spans are taken from every day of the week
 * (a 32-day span is four weeks and four days, and the four extra days can miss every window day).
 */
export function minimumMaintenanceHours(days: readonly Weekday[], durationHours: number, spanDays = GKE_MAINTENANCE_SPAN_DAYS): number {
  if (durationHours < GKE_MINIMUM_WINDOW_HOURS) return 0;
  const open = new Set(days.map((day) => WEEKDAYS.indexOf(day)));
  let fewest = Infinity;
  for (let first = 0; first < WEEKDAYS.length; first++) {
    let windows = 0;
    for (let day = first; day < first + spanDays; day++) if (open.has(day % WEEKDAYS.length)) windows++;
    fewest = Math.min(fewest, windows * durationHours);
  }
  return fewest;
}
