/**
 * Maintenance windows the clouds accept, over every stack of every shipped environment. GKE refuses
 * a recurring window under 48 h of availability in any 32 days (windows of 4 h or more); AKS
 * planned maintenance lasts 4 to 24 h; DigitalOcean takes a weekday and an HH:MM start; RDS and
 * DocumentDB windows last at least 30 minutes, ElastiCache windows at least 60.
 */
import { GkeCluster, recurringWindow } from "../../constructs/gcp/gke-cluster";
import { environments as shippedInputs } from "../../config";
import { ConfigError, loadEnvironments } from "../../modules/config/load";
import { GKE_MINIMUM_MAINTENANCE_HOURS, WEEKDAYS, Weekday, minimumMaintenanceHours } from "../../modules/maintenance";
import { TerraformStack, Testing } from "cdktf";
import { TerraformJson, buildStacks, shippedEnvironments, synthJson } from "../support/synth";

const matrix = [...buildStacks(shippedEnvironments()).stacks.values()].map((stack) => ({ id: stack.node.id, json: synthJson(stack) }));
const resources = (json: TerraformJson, type: string): [string, any][] => Object.entries(json.resource?.[type] ?? {});
const HOUR = 3_600_000;

describe("every stack's maintenance windows meet the cloud's minimum", () => {
  test("GKE: at least 48 h of windows of 4 h or more in the worst 32 days", () => {
    const checked: string[] = [];
    const refused: string[] = [];
    for (const { id, json } of matrix) {
      for (const [name, cluster] of resources(json, "google_container_cluster")) {
        const window = cluster.maintenance_policy?.recurring_window;
        checked.push(`${id}/${name}`);
        if (!window) continue; // GKE's default: any time
        const hours = (Date.parse(window.end_time) - Date.parse(window.start_time)) / HOUR;
        const days = /BYDAY=([A-Z,]+)/.exec(window.recurrence)?.[1].split(",") as Weekday[] | undefined;
        const daily = /FREQ=DAILY/.test(window.recurrence);
        const available = minimumMaintenanceHours(daily ? [...WEEKDAYS] : (days ?? []), hours);
        if (available < GKE_MINIMUM_MAINTENANCE_HOURS) refused.push(`${id}/${name}: ${available} h`);
      }
    }
    expect(checked.length).toBeGreaterThan(0);
    expect(refused).toEqual([]);
  });

  test("AKS: weekly windows of 4 to 24 h", () => {
    const refused: string[] = [];
    for (const { id, json } of matrix) {
      for (const [name, cluster] of resources(json, "azurerm_kubernetes_cluster")) {
        for (const key of ["maintenance_window_auto_upgrade", "maintenance_window_node_os"]) {
          const window = cluster[key];
          if (window && !(window.duration >= 4 && window.duration <= 24)) refused.push(`${id}/${name}.${key}: ${window.duration} h`);
        }
      }
    }
    expect(refused).toEqual([]);
  });

  test("DigitalOcean: a weekday (or any) and an HH:MM start", () => {
    const refused: string[] = [];
    const day = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|any)$/;
    for (const { id, json } of matrix) {
      for (const [name, cluster] of resources(json, "digitalocean_kubernetes_cluster")) {
        const policy = cluster.maintenance_policy;
        if (policy && !(day.test(policy.day) && /^([01]\d|2[0-3]):[0-5]\d$/.test(policy.start_time))) refused.push(`${id}/${name}`);
      }
      for (const [name, db] of resources(json, "digitalocean_database_cluster")) {
        for (const window of db.maintenance_window ?? []) if (!(day.test(window.day) && /^([01]\d|2[0-3]):[0-5]\d:00$/.test(window.hour))) refused.push(`${id}/${name}`);
      }
    }
    expect(refused).toEqual([]);
  });

  test("AWS: RDS and DocumentDB windows of 30 minutes or more, ElastiCache of 60 or more", () => {
    const minutes = (window: string) => {
      const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
      const [from, to] = window.split("-").map((part) => {
        const [d, h, m] = part.split(":");
        return days.indexOf(d) * 1440 + Number(h) * 60 + Number(m);
      });
      return (to - from + 7 * 1440) % (7 * 1440);
    };
    const minimum: Record<string, [string, number]> = {
      aws_db_instance: ["maintenance_window", 30],
      aws_rds_cluster: ["preferred_maintenance_window", 30],
      aws_docdb_cluster: ["preferred_maintenance_window", 30],
      aws_elasticache_replication_group: ["maintenance_window", 60],
    };
    const refused: string[] = [];
    for (const { id, json } of matrix) {
      for (const [type, [key, least]] of Object.entries(minimum)) {
        for (const [name, resource] of resources(json, type)) {
          const window = resource[key];
          if (typeof window === "string" && minutes(window) < least) refused.push(`${id}/${name}: ${window}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });
});

describe("GKE maintenance availability", () => {
  test.each<[Weekday[], number, number]>([
    [["SA", "SU"], 4, 32], // the window GKE refused: 4 weekends in the worst 32 days
    [["SA", "SU"], 6, 48],
    [["MO", "TU", "WE", "TH", "FR"], 4, 88],
    [["SU"], 12, 48],
    [["SA", "SU"], 3, 0], // windows under 4 h do not count
  ])("%j for %i h gives %i h in the worst 32 days", (days, hours, expected) => {
    expect(minimumMaintenanceHours(days, hours)).toBe(expected);
  });

  test("the recurring window's first occurrence ends duration hours after it starts, across midnight too", () => {
    expect(recurringWindow({ days: ["SA", "SU"], startTime: "22:30", durationHours: 6 })).toEqual({
      startTime: "2025-01-04T22:30:00Z",
      endTime: "2025-01-05T04:30:00Z",
      recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
    });
  });

  test("the construct refuses a window GKE would refuse", () => {
    const stack = new TerraformStack(Testing.app(), "gke");
    const props = {
      clusterName: "c",
      projectId: "p",
      region: "us-central1",
      networkId: "n",
      subnetId: "s",
      podsRangeName: "pods",
      servicesRangeName: "services",
      masterCidr: "10.0.0.0/28",
      releaseChannel: "REGULAR" as const,
      kmsKeyId: "k",
      nodePools: [],
      maintenance: { days: ["SA", "SU"] as Weekday[], startTime: "03:00", durationHours: 4 },
    };
    expect(() => new GkeCluster(stack, "gke", props)).toThrow(
      "GkeCluster 'c': the maintenance window (SA,SU for 4 h) gives 32 h in the worst 32 days; GKE needs windows of at least 4 h adding up to 48 h",
    );
  });

  test.each<[string, object, string]>([
    [
      "two 4-hour weekend windows",
      { days: ["SA", "SU"], durationHours: 4 },
      "production.clouds.gcp.cluster.maintenance: SA,SU for 4 h gives 32 h of maintenance in the worst 32 days; GKE refuses less than 48 h (add days or lengthen durationHours)",
    ],
    ["a window under 4 hours", { durationHours: 3 }, "production.clouds.gcp.cluster.maintenance.durationHours: Too small: expected number to be >=4"],
    ["no day", { days: [] }, "production.clouds.gcp.cluster.maintenance.days: Too small: expected array to have >=1 items"],
  ])("config refuses %s", (_name, maintenance, expected) => {
    const input = structuredClone(shippedInputs.find((env) => env.name === "production")!) as any;
    input.clouds.gcp.cluster.maintenance = maintenance;
    let problems: string[] = [];
    try {
      loadEnvironments([input]);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([expected]);
  });
});
