/**
 * Config the clouds would refuse at create time is refused by the loader first, naming the field:
 * versions outside the table or its standard support, replicas older than their primary, node
 * groups of mixed shapes, zones EKS refuses.
 */
import { environments } from "../../config";
import { loadEnvironments } from "../../modules/config/load";
import { supportedVersions, versionProblem } from "../../modules/config/versions";
import { configProblems } from "../support/config";

const TODAY = new Date("2026-11-26T12:00:00Z");

function production(mutate: (input: any) => void): unknown {
  const input = structuredClone(environments.find((env) => env.name === "production")!) as any;
  mutate(input);
  return input;
}

const problemsOf = (input: unknown, today = TODAY) => configProblems([input], { today });

describe("create-time config rules", () => {
  test("the shipped environments pass them on the day the table was checked", () => {
    expect(() => loadEnvironments(environments, { today: TODAY })).not.toThrow();
  });

  const cases: [string, (input: any) => void, string][] = [
    ["an EKS version out of standard support", (c) => { c.clouds.aws.cluster.kubernetesVersion = "1.33"; },
      "production.clouds.aws.cluster.kubernetesVersion: EKS version '1.33' left standard support on 2026-07-29; use one of 1.34, 1.35"],
    ["an EKS version the table does not know", (c) => { c.clouds.aws.cluster.kubernetesVersion = "1.37"; },
      "production.clouds.aws.cluster.kubernetesVersion: EKS version '1.37' is not in the version table (modules/config/versions.ts; known: 1.33, 1.34, 1.35); add it with its dates once checked"],
    ["an RDS minor pin", (c) => { c.clouds.aws.data = { postgres: { engineVersion: "16.6" } }; },
      "production.clouds.aws.data.postgres.engineVersion: must be a PostgreSQL major version such as 17 (the minor moves with automatic minor upgrades; a pinned minor becomes a refused downgrade)"],
    ["an RDS major the table does not know", (c) => { c.clouds.aws.data = { postgres: { engineVersion: "14" } }; c.clouds.gcp.data.postgres = { version: "POSTGRES_17" }; },
      "production.clouds.aws.data.postgres.engineVersion: RDS for PostgreSQL version '14' is not in the version table (modules/config/versions.ts; known: 16, 17); add it with its dates once checked"],
    ["a DocumentDB version the table does not know", (c) => { c.clouds.aws.data = { documentdb: { engineVersion: "4.0.0" } }; },
      "production.clouds.aws.data.documentdb.engineVersion: DocumentDB version '4.0.0' is not in the version table (modules/config/versions.ts; known: 5.0.0); add it with its dates once checked"],
    ["a Cloud SQL version not known in the Enterprise edition", (c) => { c.clouds.gcp.data.postgres = { version: "POSTGRES_18" }; },
      "production.clouds.gcp.data.postgres.version: Cloud SQL (Enterprise edition) version 'POSTGRES_18' is not in the version table (modules/config/versions.ts; known: POSTGRES_16, POSTGRES_17); add it with its dates once checked"],
    ["a pinned AKS version the table does not know", (c) => { c.clouds.azure.cluster.kubernetesVersion = "1.34"; },
      "production.clouds.azure.cluster.kubernetesVersion: AKS version '1.34' is not in the version table (modules/config/versions.ts; known: none); add it with its dates once checked"],
    ["a Cloud SQL replica older than the RDS primary", (c) => { c.clouds.gcp.data.postgres = { version: "POSTGRES_16" }; },
      "production.clouds.gcp.data.postgres.version: PostgreSQL 16 cannot receive the primary's PostgreSQL 17 (clouds.aws.data.postgres.engineVersion): Database Migration Service (continuous) replicates only into the same or a newer major"],
    ["an Azure backup older than the primary", (c) => { c.clouds.azure.data.postgres = { version: "16" }; },
      "production.clouds.azure.data.postgres.version: PostgreSQL 16 cannot receive the primary's PostgreSQL 17 (clouds.aws.data.postgres.engineVersion): pg_dump and pg_restore restore only into the same or a newer major"],
    ["a Cosmos DB backup older than the DocumentDB primary", (c) => { c.clouds.azure.data.cosmosMongo = { serverVersion: "4.2" }; },
      "production.clouds.azure.data.cosmosMongo.serverVersion: MongoDB 4 cannot receive the primary's MongoDB 5 (clouds.aws.data.documentdb.engineVersion): mongodump and mongorestore restore only into the same or a newer server version"],
    ["a node group mixing shapes", (c) => { c.clouds.aws.cluster.nodeGroups[0].instanceTypes = ["c5.large", "m5.large"]; },
      "production.clouds.aws.cluster.nodeGroups[0].instanceTypes: mixes shapes (c5.large: 2 vCPU / 4 GiB, m5.large: 2 vCPU / 8 GiB); the cluster autoscaler assumes one shape per group: make a group per shape"],
    ["an instance type missing from the shape table", (c) => { c.clouds.aws.cluster.nodeGroups[0].instanceTypes = ["x9.large"]; },
      "production.clouds.aws.cluster.nodeGroups[0].instanceTypes[0]: x9.large is not in the instance shape table (modules/config/instance-shapes.ts); add it with its vCPU and memory"],
    ["two node groups with one name", (c) => { c.clouds.aws.cluster.nodeGroups[1].name = "c5"; },
      "production.clouds.aws.cluster.nodeGroups[1].name: node group name 'c5' is used twice"],
    ["no on-demand node group for the system pods", (c) => { c.clouds.aws.cluster.nodeGroups = c.clouds.aws.cluster.nodeGroups.filter((g: any) => g.capacity === "spot"); },
      "production.clouds.aws.cluster.nodeGroups: needs an on-demand group with scaling.min >= 1: it runs the cluster's system pods"],
    ["a zone where EKS refuses control-plane subnets", (c) => { c.clouds.aws.network.availabilityZoneIds = ["use1-az1", "use1-az2", "use1-az3"]; },
      "production.clouds.aws.network.availabilityZoneIds: use1-az3: EKS refuses control-plane subnets in this zone"],
    ["a zone given by name instead of id", (c) => { c.clouds.aws.network.availabilityZoneIds = ["us-east-1a", "use1-az2", "use1-az4"]; },
      "production.clouds.aws.network.availabilityZoneIds[0]: must be an availability zone id such as use1-az1"],
    ["more zones than the region offers by default", (c) => { c.clouds.aws.region = "us-west-1"; },
      "production.clouds.aws.network.azCount: us-west-1 has 2 zones EKS supports by default; list availabilityZoneIds or lower azCount"],
  ];

  test.each(cases)("%s is refused with its field path", (_name, mutate, expected) => {
    expect(problemsOf(production(mutate))).toEqual([expected]);
  });

  // A standalone cloud copies nothing, so its major is its own business (DigitalOcean ships standalone).
  test("a standalone database older than the primary is not a replication problem", () => {
    expect(problemsOf(production((c) => { c.clouds.digitalocean.data = { postgres: { version: "16" } }; }))).toEqual([]);
  });

  test("an engine left out of dataCopies.engines is not checked against the primary", () => {
    expect(problemsOf(production((c) => { c.clouds.azure.data.cosmosMongo = { serverVersion: "4.2" }; c.dataCopies = { engines: ["postgres", "objects"] }; }))).toEqual([]);
  });

  test("a version is refused from the day after its standard support ends", () => {
    expect(problemsOf(production(() => undefined), new Date("2027-03-28T00:00:00Z"))).toEqual([
      "production.clouds.aws.cluster.kubernetesVersion: EKS version '1.35' left standard support on 2027-03-27; add a version in standard support to the table",
    ]);
    expect(versionProblem("eks", "1.35", new Date("2027-03-27T23:00:00Z"))).toBeUndefined();
    expect(supportedVersions("eks", TODAY)).toEqual(["1.34", "1.35"]);
  });
});
