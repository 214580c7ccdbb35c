/**
 * The data roles across clouds: one primary per engine, copies only over a private link to an AWS
 * primary, an Atlas organisation for a MongoDB replica on GCP. Each bad config stops the loader
 * with the exact message and field path.
 */
import { environments } from "../../config";
import { copiesEngine, linkedClouds, primaryCloud } from "../../modules/config/data-roles";
import { loadEnvironments } from "../../modules/config/load";
import { configProblems } from "../support/config";

function shipped(name: string, mutate: (input: any) => void = () => undefined): any {
  const input = structuredClone(environments.find((env) => env.name === name)!) as any;
  mutate(input);
  return input;
}

const problemsOf = (input: unknown) => configProblems([input]);

describe("data roles across clouds: each bad config names the field", () => {
  const cases: [string, string, (input: any) => void, string[]][] = [
    ["two PostgreSQL primaries", "production", (c) => { c.clouds.gcp.data.role = "primary"; },
      [
        "production.clouds.gcp.data.role: a second postgres primary (clouds.aws.data.role is already primary); exactly one cloud holds the primary of each engine",
        "production.clouds.gcp.data.role: a second mongodb primary (clouds.aws.data.role is already primary); exactly one cloud holds the primary of each engine",
        "production.clouds.gcp.data.role: a second objects primary (clouds.aws.data.role is already primary); exactly one cloud holds the primary of each engine",
      ]],
    ["two primaries of PostgreSQL only, when the second cloud runs no MongoDB", "staging", (c) => { c.clouds.gcp.data.role = "primary"; },
      [
        "staging.clouds.gcp.data.role: a second postgres primary (clouds.aws.data.role is already primary); exactly one cloud holds the primary of each engine",
        "staging.clouds.gcp.data.role: a second objects primary (clouds.aws.data.role is already primary); exactly one cloud holds the primary of each engine",
      ]],
    ["replicas without any primary", "staging", (c) => { c.clouds.aws.data.role = "replica"; },
      ["staging.clouds.aws.data.role: 'replica' copies the primary, and no enabled cloud has data.role 'primary'"]],
    ["a DigitalOcean replica (of objects: a PostgreSQL copy there is refused, __tests__/digitalocean/data-copies.test.ts) without a private link", "production", (c) => { c.clouds.digitalocean.data.role = "replica"; c.dataCopies = { engines: ["objects"] }; },
      ["production.clouds.digitalocean.data.role: 'replica' copies the primary on aws over a private link, and DigitalOcean has none: describe its Partner Network Connect link in interconnect, or set the role to 'standalone'"]],
    ["a DigitalOcean backup (of objects: a PostgreSQL copy there is refused, __tests__/digitalocean/data-copies.test.ts) without a private link", "production", (c) => { c.clouds.digitalocean.data.role = "backup"; c.dataCopies = { engines: ["objects"] }; },
      ["production.clouds.digitalocean.data.role: 'backup' copies the primary on aws over a private link, and DigitalOcean has none: describe its Partner Network Connect link in interconnect, or set the role to 'standalone'"]],
    ["an Azure backup without an aws-azure link", "production", (c) => { c.interconnect = { links: [{ clouds: ["aws", "gcp"] }, { clouds: ["gcp", "azure"] }] }; },
      ["production.clouds.azure.data.role: 'backup' copies the primary on aws over a private link, and interconnect links no aws-azure pair"]],
    ["copies while the interconnect is disabled", "staging", (c) => { c.interconnect = { enabled: false }; },
      ["staging.clouds.gcp.data.role: 'replica' copies the primary on aws over a private link, and interconnect links no aws-gcp pair"]],
    ["a copy of a primary that is not on AWS", "production", (c) => { c.clouds.aws.data.role = "standalone"; c.clouds.gcp.data.role = "primary"; },
      ["production.clouds.azure.data.role: 'backup' copies the primary, and copies are built from a primary on aws only (the primary is on gcp); after a promotion set it to 'standalone' until the copy path from gcp exists"]],
    ["a GCP MongoDB replica without an Atlas organisation", "production", (c) => { delete c.clouds.gcp.data.mongodbAtlas; },
      ["production.clouds.gcp.data.mongodbAtlas: the GCP replica copies MongoDB (dataCopies.engines) into Atlas, and no Atlas organisation is configured here; configure one or leave mongodb out of dataCopies.engines"]],
    ["an engine listed twice", "production", (c) => { c.dataCopies = { engines: ["postgres", "postgres"] }; },
      ["production.dataCopies.engines: lists an engine twice"]],
    ["an engine that is not copied (Redis)", "production", (c) => { c.dataCopies = { engines: ["redis"] }; },
      ['production.dataCopies.engines[0]: Invalid option: expected one of "postgres"|"mongodb"|"objects"']],
    ["an unknown role", "production", (c) => { c.clouds.gcp.data.role = "mirror"; },
      ['production.clouds.gcp.data.role: Invalid option: expected one of "primary"|"replica"|"backup"|"standalone"']],
  ];

  test.each(cases)("%s", (_name, env, mutate, expected) => {
    expect(problemsOf(shipped(env, mutate))).toEqual(expected);
  });

  test("a GCP replica without Atlas is valid once MongoDB is left out of the copies (staging)", () => {
    expect(problemsOf(shipped("staging"))).toEqual([]);
    expect(problemsOf(shipped("production", (c) => { delete c.clouds.gcp.data.mongodbAtlas; c.dataCopies = { engines: ["postgres"] }; }))).toEqual([]);
  });

  test("the promoted shape (GCP primary, the old AWS primary and Azure standalone) is valid", () => {
    const promoted = shipped("production", (c) => {
      c.clouds.gcp.data.role = "primary";
      c.clouds.aws.data.role = "standalone";
      c.clouds.azure.data.role = "standalone";
    });
    expect(problemsOf(promoted)).toEqual([]);
  });
});

describe("linkedClouds: the interconnect's links (modules/interconnect.ts), and DigitalOcean's partner attachment", () => {
  const [staging, production] = loadEnvironments(environments);
  const partnerAttachment = { naasProvider: "MEGAPORT", region: "nyc", bandwidthMbps: 1000, peerCloud: "aws", bgp: { localRouterIp: "169.254.100.1/29", peerRouterIp: "169.254.100.6/29", peerRouterAsn: 64512 } };
  // Azure's backup needs the aws-azure link the custom list below leaves out.
  const load = (interconnect: unknown) => loadEnvironments([shipped("production", (c) => { c.interconnect = interconnect; c.clouds.azure.data.role = "standalone"; })])[0];

  test("by default every pair of enabled VPN clouds (AWS, GCP, Azure) is linked, DigitalOcean never", () => {
    const linked = linkedClouds(production);
    expect([linked("aws", "gcp"), linked("gcp", "aws"), linked("aws", "azure"), linked("gcp", "azure")]).toEqual([true, true, true, true]);
    expect([linked("aws", "digitalocean"), linked("gcp", "digitalocean"), linked("aws", "aws")]).toEqual([false, false, false]);
    expect(linkedClouds(staging)("aws", "azure")).toBe(false);
  });

  test("interconnect.links decides the pairs; DigitalOcean is linked to its partner attachment's peer cloud only", () => {
    const linked = linkedClouds(load({ links: [{ clouds: ["gcp", "aws"] }], digitalocean: { partnerAttachment } }));
    expect([linked("aws", "gcp"), linked("digitalocean", "aws"), linked("aws", "azure"), linked("gcp", "digitalocean")]).toEqual([true, true, false, false]);
  });

  test("a disabled interconnect links nothing", () => {
    const linked = linkedClouds({ ...production, interconnect: { ...production.interconnect, enabled: false } });
    expect([linked("aws", "gcp"), linked("aws", "azure")]).toEqual([false, false]);
  });
});

describe("shipped roles", () => {
  const [staging, production] = loadEnvironments(environments);

  test("AWS holds the primary; GCP and Azure copy PostgreSQL and MongoDB in production; staging copies PostgreSQL and objects, not MongoDB", () => {
    expect(primaryCloud(production)).toBe("aws");
    expect([copiesEngine(production, "gcp", "postgres"), copiesEngine(production, "gcp", "mongodb")]).toEqual([true, true]);
    expect([copiesEngine(production, "azure", "postgres"), copiesEngine(production, "azure", "mongodb")]).toEqual([true, true]);
    expect(copiesEngine(production, "digitalocean", "postgres")).toBe(false);
    expect([copiesEngine(staging, "gcp", "postgres"), copiesEngine(staging, "gcp", "mongodb"), copiesEngine(staging, "gcp", "objects")]).toEqual([true, false, true]);
  });
});

describe("schedules parse (cron-parser) before anything is built", () => {
  const cases: [string, string, string][] = [
    ["a field out of range", "61 * * * *", "production.dataCopies.postgres.refreshSchedule: is not a cron schedule: Constraint error, got value 61 expected range 0-59"],
    ["words instead of cron", "every day at two", "production.dataCopies.postgres.refreshSchedule: must have 5 cron fields (minute hour day-of-month month day-of-week), got 4"],
    ["a seconds field (Kubernetes takes five fields)", "0 30 */6 * * *", "production.dataCopies.postgres.refreshSchedule: must have 5 cron fields (minute hour day-of-month month day-of-week), got 6"],
    ["an unknown month name", "0 2 * foo *", "production.dataCopies.postgres.refreshSchedule: is not a cron schedule: Validation error, cannot resolve alias \"foo\""],
  ];
  test.each(cases)("%s", (_name, schedule, expected) => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { postgres: { refreshSchedule: schedule } }; }))).toEqual([expected]);
  });

  test("a valid schedule loads, and the default refreshes every six hours", () => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { postgres: { refreshSchedule: "15 1 * * 1-5" } }; }))).toEqual([]);
    expect(loadEnvironments([shipped("production")])[0].dataCopies.postgres.refreshSchedule).toBe("30 */6 * * *");
  });

  test.each(cases)("the MongoDB refresh schedule too: %s", (_name, schedule, expected) => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { mongodb: { refreshSchedule: schedule } }; }))).toEqual([expected.replace(".postgres.", ".mongodb.")]);
  });

  test("the MongoDB refresh runs every six hours on the hour by default, and an unknown key under dataCopies.mongodb is refused", () => {
    expect(loadEnvironments([shipped("production")])[0].dataCopies.mongodb.refreshSchedule).toBe("0 */6 * * *");
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { mongodb: { schedule: "0 1 * * *" } } as never; }))).toEqual(['production.dataCopies.mongodb: Unrecognized key: "schedule"']);
  });
});

describe("the objects copy schedule (dataCopies.objects.copySchedule) parses before anything is built", () => {
  const cases: [string, unknown, string][] = [
    ["an hour out of range", { copySchedule: "0 24 * * *" }, "production.dataCopies.objects.copySchedule: is not a cron schedule: Constraint error, got value 24 expected range 0-23"],
    ["an interval instead of cron", { copySchedule: "1h" }, "production.dataCopies.objects.copySchedule: must have 5 cron fields (minute hour day-of-month month day-of-week), got 1"],
    ["not a string", { copySchedule: 3600 }, "production.dataCopies.objects.copySchedule: Invalid input: expected string, received number"],
    ["a misspelt field", { schedule: "0 * * * *" }, 'production.dataCopies.objects: Unrecognized key: "schedule"'],
  ];
  test.each(cases)("%s", (_name, objects, expected) => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { objects }; }))).toEqual([expected]);
  });

  test("a valid schedule loads, and the default copies hourly", () => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { objects: { copySchedule: "*/30 * * * *" } }; }))).toEqual([]);
    expect(loadEnvironments([shipped("production")])[0].dataCopies.objects.copySchedule).toBe("15 * * * *");
  });
});

describe("restore verification and replication-lag settings are checked before anything is built", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a verify schedule out of range", { verifySchedule: "0 25 * * *" }, "production.dataCopies.postgres.verifySchedule: is not a cron schedule: Constraint error, got value 25 expected range 0-23"],
    ["a verify schedule with six fields", { verifySchedule: "0 15 4 * * *" }, "production.dataCopies.postgres.verifySchedule: must have 5 cron fields (minute hour day-of-month month day-of-week), got 6"],
    ["a lag bound of zero", { maxReplicationLagSeconds: 0 }, "production.dataCopies.postgres.maxReplicationLagSeconds: must be positive"],
    ["a negative lag bound", { maxReplicationLagSeconds: -60 }, "production.dataCopies.postgres.maxReplicationLagSeconds: must be positive"],
    ["a fractional lag bound", { maxReplicationLagSeconds: 1.5 }, "production.dataCopies.postgres.maxReplicationLagSeconds: must be a whole number of seconds"],
    ["a lag bound as text", { maxReplicationLagSeconds: "5m" }, "production.dataCopies.postgres.maxReplicationLagSeconds: must be a number of seconds"],
  ];
  test.each(cases)("%s", (_name, postgres, expected) => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { postgres }; }))).toEqual([expected]);
  });

  test("the defaults verify twice a day (a verified dump stays under the hub's 26 h) and bound the lag at 5 minutes", () => {
    const loaded = loadEnvironments([shipped("production")])[0].dataCopies.postgres;
    expect(loaded.verifySchedule).toBe("15 4,16 * * *");
    expect(loaded.maxReplicationLagSeconds).toBe(300);
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = { postgres: { verifySchedule: "0 */12 * * *", maxReplicationLagSeconds: 60 } }; }))).toEqual([]);
  });
});

describe("copy-user password versions (rotation) are whole numbers from 1", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a replication password version of zero", { postgres: { replicationPasswordVersion: 0 } }, "production.dataCopies.postgres.replicationPasswordVersion: must be 1 or more"],
    ["a fractional copy password version", { mongodb: { copyPasswordVersion: 1.5 } }, "production.dataCopies.mongodb.copyPasswordVersion: must be a whole number"],
    ["a version as text", { mongodb: { copyPasswordVersion: "2" } }, "production.dataCopies.mongodb.copyPasswordVersion: must be a whole number"],
  ];
  test.each(cases)("%s", (_name, dataCopies, expected) => {
    expect(problemsOf(shipped("production", (c) => { c.dataCopies = dataCopies; }))).toEqual([expected]);
  });

  test("both default to 1", () => {
    const loaded = loadEnvironments([shipped("production")])[0].dataCopies;
    expect([loaded.postgres.replicationPasswordVersion, loaded.mongodb.copyPasswordVersion]).toEqual([1, 1]);
  });
});
