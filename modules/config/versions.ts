/**
 * The engine and Kubernetes versions the project knows to be creatable, and in standard support,
 * where each cloud deploys them: one table, with dates, to update in one place.
 *
 * A version missing here is refused by the config loader until it is added with its dates and the
 * page they come from; a version whose standard support has ended is refused with the date.
 * docs/versions-and-aws-prerequisites.md says how to update the table.
 */

import type { EnvironmentConfig } from "./environment";
import type { ConfigProblem } from "./load";
import { messagingOn } from "./messaging";

/** One version of one service: when it became creatable and when its standard support ends. */
export interface KnownVersion {
  /** As the config writes it (`1.35`, `17`, `POSTGRES_17`, `5.0.0`). */
  readonly version: string;
  /**
   * First day it could be created (ISO date), where the service publishes it.
   * @default creatable before the table was last checked
   */
  readonly released?: string;
  /**
   * Last day of standard support (ISO date); after it the service charges for extended support,
   * upgrades by force, or stops creating it.
   * @default no end announced
   */
  readonly standardSupportEnds?: string;
}

/** The services whose versions the config sets, each with the versions known to be creatable. */
export const VERSION_TABLE = {
  /**
   * EKS Kubernetes minors (EKS release calendar, docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html;
   * 14 months of standard support from the EKS release). 1.33 stays listed so a config still on it
   * is told when its standard support ended.
   */
  eks: [
    { version: "1.33", released: "2025-05-29", standardSupportEnds: "2026-07-29" },
    { version: "1.34", released: "2025-10-02", standardSupportEnds: "2026-12-02" },
    { version: "1.35", released: "2026-01-27", standardSupportEnds: "2027-03-27" },
  ],
  /**
   * GKE minors, used only when a minor is pinned (the release channel picks otherwise); end of
   * standard ("active") support from the GKE release schedule.
   */
  gke: [{ version: "1.35", released: "2026-02-11", standardSupportEnds: "2027-02-28" }],
  /** AKS minors: none verified yet; leave `kubernetesVersion` unset and AKS picks its default. */
  aks: [],
  /**
   * DOKS minors, used only when a minor is pinned (the newest DOKS offers otherwise). DOKS supports
   * a minor no longer than upstream does: the end is the upstream end of life (kubernetes.io/releases).
   */
  doks: [{ version: "1.35", standardSupportEnds: "2027-02-28" }],
  /**
   * RDS for PostgreSQL majors, pinned by major only (RDS PostgreSQL release calendar). Minors move
   * by the automatic minor upgrade; the provider keeps a major-only pin without a diff.
   */
  rdsPostgres: [
    { version: "16", standardSupportEnds: "2029-02-28" },
    { version: "17", standardSupportEnds: "2030-02-28" },
  ],
  /** DocumentDB engine versions (the cluster's `engine_version`; patches come in maintenance windows). */
  documentdb: [{ version: "5.0.0" }],
  /** ElastiCache Redis OSS `engine_version` as major.minor (the patch moves with auto minor upgrades). */
  elasticacheRedis: [{ version: "7.1" }],
  /**
   * Cloud SQL for PostgreSQL, Enterprise edition (Cloud SQL "Database versions and version policies":
   * regular support start, extended support from the day after `standardSupportEnds`). POSTGRES_18
   * is left out until its Enterprise-edition availability in the deployed regions and Database
   * Migration Service's support for it as a destination are checked.
   */
  cloudSql: [
    { version: "POSTGRES_16", released: "2024-06-07", standardSupportEnds: "2029-01-31" },
    { version: "POSTGRES_17", released: "2024-10-22", standardSupportEnds: "2030-01-31" },
  ],
  /** Azure Database for PostgreSQL Flexible Server majors (retired at the community end of life). */
  azurePostgres: [
    { version: "16", standardSupportEnds: "2028-11-09" },
    { version: "17", standardSupportEnds: "2029-11-08" },
  ],
  /** DigitalOcean managed PostgreSQL majors. */
  doPostgres: [
    { version: "16", standardSupportEnds: "2028-11-09" },
    { version: "17", standardSupportEnds: "2029-11-08" },
  ],
  /** DigitalOcean managed MongoDB majors (MongoDB Inc.'s end of life). */
  doMongodb: [
    { version: "7", standardSupportEnds: "2027-08-31" },
    { version: "8", standardSupportEnds: "2029-10-31" },
  ],
  /** DigitalOcean managed Valkey majors (the successor of its Redis service). */
  doValkey: [{ version: "8" }],
  /**
   * DigitalOcean managed Kafka versions (`messaging.digitalocean.kafka.version`): those DigitalOcean
   * offered when the messaging layer was written; no end of support checked yet.
   */
  doKafka: [{ version: "3.7" }, { version: "3.8" }],
} as const satisfies Record<string, readonly KnownVersion[]>;

export type VersionedService = keyof typeof VERSION_TABLE;

/** Human names used in messages. */
const SERVICE_NAMES: Record<VersionedService, string> = {
  eks: "EKS",
  gke: "GKE",
  aks: "AKS",
  doks: "DOKS",
  rdsPostgres: "RDS for PostgreSQL",
  documentdb: "DocumentDB",
  elasticacheRedis: "ElastiCache Redis",
  cloudSql: "Cloud SQL (Enterprise edition)",
  azurePostgres: "Azure Database for PostgreSQL",
  doPostgres: "DigitalOcean PostgreSQL",
  doMongodb: "DigitalOcean MongoDB",
  doValkey: "DigitalOcean Valkey",
  doKafka: "DigitalOcean Kafka",
};

/** The ISO date of a Date (UTC), e.g. `2026-11-26`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Why `version` cannot be deployed on `service` on `today`, or undefined when it can: it must be in
 * the table and its standard support must not have ended.
 */
export function versionProblem(service: VersionedService, version: string, today: Date): string | undefined {
  const known: readonly KnownVersion[] = VERSION_TABLE[service];
  const entry = known.find((v) => v.version === version);
  const name = SERVICE_NAMES[service];
  if (!entry) {
    const listed = known.map((v) => v.version);
    return `${name} version '${version}' is not in the version table (modules/config/versions.ts; known: ${listed.length > 0 ? listed.join(", ") : "none"}); add it with its dates once checked`;
  }
  const day = isoDate(today);
  if (entry.released && entry.released > day) return `${name} version '${version}' is not released before ${entry.released}`;
  if (entry.standardSupportEnds && entry.standardSupportEnds < day) {
    const supported = supportedVersions(service, today);
    return `${name} version '${version}' left standard support on ${entry.standardSupportEnds}; ${supported.length > 0 ? `use one of ${supported.join(", ")}` : "add a version in standard support to the table"}`;
  }
  return undefined;
}

/** Versions of `service` creatable and in standard support on `today`. */
export function supportedVersions(service: VersionedService, today: Date): string[] {
  const day = isoDate(today);
  const known: readonly KnownVersion[] = VERSION_TABLE[service];
  return known.filter((v) => (!v.released || v.released <= day) && (!v.standardSupportEnds || v.standardSupportEnds >= day)).map((v) => v.version);
}

/** The major of a PostgreSQL version as written by any cloud's config: `17`, `17.2`, `POSTGRES_17`. */
export function postgresMajor(version: string): number {
  return Number(/(\d+)/.exec(version)?.[1] ?? NaN);
}

/** The MongoDB API major a MongoDB-compatible version offers: DocumentDB `5.0.0` -> 5, Cosmos `7.0` -> 7, `8` -> 8. */
export function mongoMajor(version: string): number {
  return Number(version.split(".")[0]);
}

/** The day the table above was last checked against the clouds' calendars. */
export const VERSION_TABLE_CHECKED = "2026-11-26";

/** One field holding a version, the service that deploys it, and its value. */
interface VersionField {
  readonly path: string;
  readonly service: VersionedService;
  readonly version: string | undefined;
}

/** Every version an environment sets, with its field path (fields left to the cloud are skipped). */
function versionFields(env: EnvironmentConfig): VersionField[] {
  const { aws, gcp, azure, digitalocean } = env.clouds;
  const fields: VersionField[] = [];
  if (aws) {
    fields.push({ path: "clouds.aws.cluster.kubernetesVersion", service: "eks", version: aws.cluster.kubernetesVersion });
    fields.push({ path: "clouds.aws.data.postgres.engineVersion", service: "rdsPostgres", version: aws.data.postgres.engineVersion });
    if (aws.data.documentdb.enabled) fields.push({ path: "clouds.aws.data.documentdb.engineVersion", service: "documentdb", version: aws.data.documentdb.engineVersion });
    if (aws.data.redis.enabled) fields.push({ path: "clouds.aws.data.redis.engineVersion", service: "elasticacheRedis", version: aws.data.redis.engineVersion });
  }
  if (gcp) {
    fields.push({ path: "clouds.gcp.cluster.kubernetesVersion", service: "gke", version: gcp.cluster.kubernetesVersion });
    fields.push({ path: "clouds.gcp.data.postgres.version", service: "cloudSql", version: gcp.data.postgres.version });
  }
  if (azure) {
    fields.push({ path: "clouds.azure.cluster.kubernetesVersion", service: "aks", version: azure.cluster.kubernetesVersion });
    fields.push({ path: "clouds.azure.data.postgres.version", service: "azurePostgres", version: azure.data.postgres.version });
  }
  if (digitalocean) {
    const d = digitalocean.data;
    fields.push({ path: "clouds.digitalocean.cluster.kubernetesVersion", service: "doks", version: digitalocean.cluster.kubernetesVersion });
    fields.push({ path: "clouds.digitalocean.data.postgres.version", service: "doPostgres", version: d.postgres.version });
    if (d.mongodb.enabled) fields.push({ path: "clouds.digitalocean.data.mongodb.version", service: "doMongodb", version: d.mongodb.version });
    if (d.cache.enabled) fields.push({ path: "clouds.digitalocean.data.cache.version", service: "doValkey", version: d.cache.version });
    if (messagingOn(env, "digitalocean", "kafka")) fields.push({ path: "messaging.digitalocean.kafka.version", service: "doKafka", version: env.messaging.digitalocean.kafka.version });
  }
  return fields;
}

/** A database of one cloud in the replication paths: its field, its major, its role. */
interface DatabaseVersion {
  readonly cloud: string;
  readonly path: string;
  readonly major: number;
  readonly role: string;
}

/** How each cloud receives the primary's PostgreSQL (the data-roles issue) and what that needs. */
const POSTGRES_PATHS: Record<string, string> = {
  aws: "a logical-replication copy",
  gcp: "Database Migration Service (continuous) replicates only into the same or a newer major",
  azure: "pg_dump and pg_restore restore only into the same or a newer major",
};
const MONGO_PATHS: Record<string, string> = {
  aws: "a dump and restore",
  azure: "mongodump and mongorestore restore only into the same or a newer server version",
  digitalocean: "mongodump and mongorestore restore only into the same or a newer server version",
};

function postgresVersions(env: EnvironmentConfig): DatabaseVersion[] {
  const { aws, gcp, azure, digitalocean } = env.clouds;
  const all: DatabaseVersion[] = [];
  if (aws) all.push({ cloud: "aws", path: "clouds.aws.data.postgres.engineVersion", major: postgresMajor(aws.data.postgres.engineVersion), role: aws.data.role });
  if (gcp) all.push({ cloud: "gcp", path: "clouds.gcp.data.postgres.version", major: postgresMajor(gcp.data.postgres.version), role: gcp.data.role });
  if (azure) all.push({ cloud: "azure", path: "clouds.azure.data.postgres.version", major: postgresMajor(azure.data.postgres.version), role: azure.data.role });
  if (digitalocean) all.push({ cloud: "digitalocean", path: "clouds.digitalocean.data.postgres.version", major: postgresMajor(digitalocean.data.postgres.version), role: digitalocean.data.role });
  return all;
}

function mongoVersions(env: EnvironmentConfig): DatabaseVersion[] {
  const { aws, azure, digitalocean } = env.clouds;
  const all: DatabaseVersion[] = [];
  if (aws?.data.documentdb.enabled) all.push({ cloud: "aws", path: "clouds.aws.data.documentdb.engineVersion", major: mongoMajor(aws.data.documentdb.engineVersion), role: aws.data.role });
  if (azure?.data.cosmosMongo.enabled) all.push({ cloud: "azure", path: "clouds.azure.data.cosmosMongo.serverVersion", major: mongoMajor(azure.data.cosmosMongo.serverVersion), role: azure.data.role });
  if (digitalocean?.data.mongodb.enabled) all.push({ cloud: "digitalocean", path: "clouds.digitalocean.data.mongodb.version", major: mongoMajor(digitalocean.data.mongodb.version), role: digitalocean.data.role });
  return all;
}

/**
 * Replica and backup copies must run the primary's major or a newer one. Only clouds that receive
 * the engine's data are checked: a `standalone` cloud, an engine left out of `dataCopies.engines`
 * and a cloud without a path for the engine (`paths`) copy nothing.
 */
function replicationProblems(env: EnvironmentConfig, engine: string, copied: boolean, copies: DatabaseVersion[], paths: Record<string, string>): ConfigProblem[] {
  const primary = copies.find((c) => c.role === "primary");
  if (!primary || !copied) return [];
  return copies
    .filter((c) => (c.role === "replica" || c.role === "backup") && c.cloud in paths && c.major < primary.major)
    .map((c) => ({
      path: `${env.name}.${c.path}`,
      message: `${engine} ${c.major} cannot receive the primary's ${engine} ${primary.major} (${primary.path}): ${paths[c.cloud]}`,
    }));
}

/**
 * Every version problem of an environment: versions not in the table or out of standard support on
 * `today`, and replica or backup databases older than the primary they receive data from.
 */
export function versionProblems(env: EnvironmentConfig, today: Date): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const field of versionFields(env)) {
    if (field.version === undefined) continue;
    const problem = versionProblem(field.service, field.version, today);
    if (problem) problems.push({ path: `${env.name}.${field.path}`, message: problem });
  }
  problems.push(...replicationProblems(env, "PostgreSQL", env.dataCopies.engines.includes("postgres"), postgresVersions(env), POSTGRES_PATHS));
  problems.push(...replicationProblems(env, "MongoDB", env.dataCopies.engines.includes("mongodb"), mongoVersions(env), MONGO_PATHS));
  return problems;
}
