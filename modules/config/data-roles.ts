/**
 * The data roles across clouds: which cloud holds the primary of each engine, which clouds copy
 * it, over which private links. The per-cloud `clouds.<cloud>.data.role` says what a cloud's
 * databases are; this module holds the environment-wide `dataCopies` section and the rules that
 * look at several clouds at once (run by the config loader, each problem with its field path).
 */
import { COPIED_ENGINES, CopiedEngine } from "./clouds/data-copies";
import type { EnvironmentConfig, KubernetesCloud } from "./environment";
import { enabledClouds } from "./environment";
import { interconnectLinks } from "../interconnect";
import { stackId } from "../naming";
import type { DataRole } from "./primitives";

/** The one cloud whose primary the copies are built from (the only source the copy paths support). */
export const COPY_SOURCE_CLOUD: KubernetesCloud = "aws";

/** One problem found by {@link dataRoleProblems}; the loader prefixes the environment name. */
export interface DataRoleProblem {
  readonly path: string;
  readonly message: string;
}

/** A private link between two clouds, as an unordered pair. */
function pairKey(a: KubernetesCloud, b: KubernetesCloud): string {
  return [a, b].sort().join("+");
}

/**
 * The pairs of clouds joined by a private link (the cross-cloud network), as a predicate: the
 * HA VPN links of {@link interconnectLinks} (none when `interconnect.enabled` is false, else
 * `interconnect.links` or every pair of enabled AWS, GCP and Azure), and DigitalOcean, which has no
 * IPsec gateway in the pinned provider, only to the `peerCloud` of its Partner Network Connect
 * attachment (`interconnect.digitalocean.partnerAttachment`).
 */
export function linkedClouds(env: EnvironmentConfig): (a: KubernetesCloud, b: KubernetesCloud) => boolean {
  const enabled = new Set(enabledClouds(env));
  const pairs = new Set(interconnectLinks(env).map((link) => pairKey(link.a, link.b)));
  const partner = env.interconnect.digitalocean?.partnerAttachment;
  if (env.interconnect.enabled && partner) pairs.add(pairKey("digitalocean", partner.peerCloud));
  return (a, b) => a !== b && enabled.has(a) && enabled.has(b) && pairs.has(pairKey(a, b));
}

/** The role of a cloud's data (undefined when the cloud is not enabled). */
export function dataRole(env: EnvironmentConfig, cloud: KubernetesCloud): DataRole | undefined {
  return env.clouds[cloud]?.data.role;
}

/** Whether `cloud` runs a database of `engine` at all. */
function holdsEngine(env: EnvironmentConfig, cloud: KubernetesCloud, engine: CopiedEngine): boolean {
  const c = env.clouds;
  if (engine === "postgres" || engine === "objects") return c[cloud] !== undefined;
  switch (cloud) {
    case "aws":
      return c.aws?.data.documentdb.enabled ?? false;
    case "gcp":
      return c.gcp?.data.mongodbAtlas !== undefined;
    case "azure":
      return c.azure?.data.cosmosMongo.enabled ?? false;
    case "digitalocean":
      return c.digitalocean?.data.mongodb.enabled ?? false;
  }
}

/** The cloud holding the primary (the first one whose role is primary), if any. */
export function primaryCloud(env: EnvironmentConfig): KubernetesCloud | undefined {
  return enabledClouds(env).find((cloud) => dataRole(env, cloud) === "primary");
}

/**
 * Whether `cloud` keeps a copy of the primary's `engine` (a replica or backup role, the engine in
 * `dataCopies.engines`, and the cloud running that engine). Valid configs only.
 */
export function copiesEngine(env: EnvironmentConfig, cloud: KubernetesCloud, engine: CopiedEngine): boolean {
  const role = dataRole(env, cloud);
  return (role === "replica" || role === "backup") && env.dataCopies.engines.includes(engine) && holdsEngine(env, cloud, engine);
}

/**
 * The rules on data roles that span clouds. `checkLinks: false` leaves out the private-link rule
 * (the loader's choice while the interconnect section itself has problems).
 */
export function dataRoleProblems(env: EnvironmentConfig, options: { readonly checkLinks?: boolean } = {}): DataRoleProblem[] {
  const problems: DataRoleProblem[] = [];
  const clouds = enabledClouds(env);
  const rolePath = (cloud: KubernetesCloud) => `clouds.${cloud}.data.role`;
  const copying = clouds.filter((cloud) => dataRole(env, cloud) === "replica" || dataRole(env, cloud) === "backup");

  for (const engine of COPIED_ENGINES) {
    const primaries = clouds.filter((cloud) => dataRole(env, cloud) === "primary" && holdsEngine(env, cloud, engine));
    for (const extra of primaries.slice(1)) {
      problems.push({
        path: rolePath(extra),
        message: `a second ${engine} primary (${rolePath(primaries[0])} is already primary); exactly one cloud holds the primary of each engine`,
      });
    }
  }
  const primary = primaryCloud(env);
  if (copying.length > 0 && !primary) {
    problems.push({
      path: rolePath(copying[0]),
      message: `'${dataRole(env, copying[0])}' copies the primary, and no enabled cloud has data.role 'primary'`,
    });
  }
  if (!primary) return problems;

  const linked = linkedClouds(env);
  for (const cloud of copying) {
    const role = dataRole(env, cloud);
    if (primary !== COPY_SOURCE_CLOUD) {
      problems.push({
        path: rolePath(cloud),
        message: `'${role}' copies the primary, and copies are built from a primary on ${COPY_SOURCE_CLOUD} only (the primary is on ${primary}); after a promotion set it to 'standalone' until the copy path from ${primary} exists`,
      });
      continue;
    }
    if (cloud === "digitalocean" && copiesEngine(env, cloud, "postgres")) {
      problems.push({ path: rolePath(cloud), message: digitalOceanPostgresCopyRefused(role) });
      continue;
    }
    if (options.checkLinks !== false && !linked(primary, cloud)) {
      problems.push({
        path: rolePath(cloud),
        message:
          cloud === "digitalocean"
            ? `'${role}' copies the primary on ${primary} over a private link, and DigitalOcean has none: describe its Partner Network Connect link in interconnect, or set the role to 'standalone'`
            : `'${role}' copies the primary on ${primary} over a private link, and interconnect links no ${primary}-${cloud} pair`,
      });
    }
  }
  const gcp = env.clouds.gcp;
  if (
    gcp &&
    primary === COPY_SOURCE_CLOUD &&
    dataRole(env, "gcp") === "replica" &&
    env.dataCopies.engines.includes("mongodb") &&
    holdsEngine(env, primary, "mongodb") &&
    !gcp.data.mongodbAtlas
  ) {
    problems.push({
      path: "clouds.gcp.data.mongodbAtlas",
      message: "the GCP replica copies MongoDB (dataCopies.engines) into Atlas, and no Atlas organisation is configured here; configure one or leave mongodb out of dataCopies.engines",
    });
  }
  return problems;
}

/**
 * Why a DigitalOcean `replica` or `backup` of PostgreSQL is refused, linked or not: the only managed
 * path, online migration (`digitalocean_database_online_migration`), cannot keep a copy of the RDS
 * primary. DigitalOcean stops a migration of a source that keeps being written after at most two
 * weeks, its continuous (logical) mode needs a superuser on the source and RDS grants none
 * (`rds_superuser` is NOSUPERUSER), and the API takes no CA to verify the RDS certificate
 * (docs/data-across-clouds.md has the sources).
 */
export function digitalOceanPostgresCopyRefused(role: DataRole | undefined): string {
  return `'${role}' copies PostgreSQL (dataCopies.engines) to DigitalOcean, and DigitalOcean's online migration cannot keep a copy of the RDS primary: it stops within two weeks, needs a superuser on the source (RDS grants none) and takes no CA to verify the RDS certificate; set the role to 'standalone' or leave postgres out of dataCopies.engines (docs/data-across-clouds.md)`;
}

/** Stack id of the data stack whose primary `cloud` copies, or "" when it copies nothing. */
export function copySourceStackId(env: EnvironmentConfig, cloud: KubernetesCloud): string {
  const primary = primaryCloud(env);
  const copies = COPIED_ENGINES.some((engine) => copiesEngine(env, cloud, engine));
  return primary && copies ? stackId(env, primary, "data") : "";
}

/**
 * The data contract's `replication_status` of `cloud`: its role on a primary or standalone cloud,
 * else the state of the job keeping the copy, else `not-built` (a role whose copy no stack builds yet).
 */
export function replicationStatus(env: EnvironmentConfig, cloud: KubernetesCloud, jobState?: string): string {
  const role = dataRole(env, cloud);
  if (role === "primary" || role === "standalone" || role === undefined) return role ?? "standalone";
  return jobState ?? "not-built";
}

/**
 * The copy paths these stacks build, by engine: PostgreSQL to GCP through Database Migration
 * Service and to Azure by a scheduled refresh (pg_dump, pg_restore) on AKS, MongoDB (DocumentDB) to
 * Atlas on GCP and Cosmos DB on Azure by scheduled refreshes (mongodump, mongorestore) on GKE and AKS,
 * objects to GCP through Storage Transfer Service and to Azure by a scheduled `rclone copy` on AKS.
 * A role that asks for another copy is valid config, reported as `not-built` in the data
 * contract (docs/data-across-clouds.md lists what is missing).
 */
export const BUILT_COPY_PATHS: Readonly<Record<CopiedEngine, readonly KubernetesCloud[]>> = {
  postgres: ["gcp", "azure"],
  mongodb: ["gcp", "azure"],
  objects: ["gcp", "azure"],
};

/** The clouds whose copy of the primary's `engine` these stacks build (none when the primary does not run it, e.g. DocumentDB off). */
export function copyingClouds(env: EnvironmentConfig, engine: CopiedEngine): KubernetesCloud[] {
  const primary = primaryCloud(env);
  if (!primary || !holdsEngine(env, primary, engine)) return [];
  return enabledClouds(env).filter((cloud) => copiesEngine(env, cloud, engine) && BUILT_COPY_PATHS[engine].includes(cloud));
}
