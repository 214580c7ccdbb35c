/**
 * DigitalOcean as a copy of the AWS primary. DigitalOcean's only managed path, online migration,
 * cannot keep a copy of RDS (it stops within two weeks, needs a superuser RDS does not grant, and
 * takes no CA for the RDS certificate: docs/data-across-clouds.md), so a DigitalOcean `replica` or
 * `backup` of PostgreSQL is a config error naming the field, linked (Partner Network Connect to AWS)
 * or not. These tests hold that decision: the loader refuses the fixture configs with the exact
 * message, nothing in any synthesized stack starts a migration or opens the primary to DigitalOcean,
 * and the doc says why with its sources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environments } from "../../config";
import { EnvironmentConfig } from "../../modules/config/environment";
import { loadEnvironments } from "../../modules/config/load";
import { configProblems } from "../support/config";
import { buildStacks, synthJson } from "../support/synth";

/** DigitalOcean's Partner Network Connect attachment reaching AWS: the link the copy would need. */
const partnerAttachment = {
  naasProvider: "MEGAPORT",
  region: "nyc",
  bandwidthMbps: 1000,
  peerCloud: "aws",
  bgp: { localRouterIp: "169.254.100.1/29", peerRouterIp: "169.254.100.6/29", peerRouterAsn: 64512 },
};

/** Shipped production with DigitalOcean linked to AWS and given `role`, then `mutate`. */
function linkedFixture(role: string, mutate: (input: any) => void = () => undefined): any {
  const input = structuredClone(environments.find((env) => env.name === "production")!) as any;
  input.interconnect = { ...input.interconnect, digitalocean: { partnerAttachment } };
  input.clouds.digitalocean.data.role = role;
  mutate(input);
  return input;
}

const refused = (role: string) =>
  `production.clouds.digitalocean.data.role: '${role}' copies PostgreSQL (dataCopies.engines) to DigitalOcean, and DigitalOcean's online migration cannot keep a copy of the RDS primary: it stops within two weeks, needs a superuser on the source (RDS grants none) and takes no CA to verify the RDS certificate; set the role to 'standalone' or leave postgres out of dataCopies.engines (docs/data-across-clouds.md)`;

describe("a DigitalOcean copy of PostgreSQL is refused by the loader, naming the field", () => {
  const cases: [string, any, string[]][] = [
    ["a linked replica (the fixture: partner attachment to AWS)", linkedFixture("replica"), [refused("replica")]],
    ["a linked backup", linkedFixture("backup"), [refused("backup")]],
    ["a linked replica copying PostgreSQL only", linkedFixture("replica", (c) => { c.dataCopies = { engines: ["postgres"] }; delete c.clouds.gcp.data.mongodbAtlas; }), [refused("replica")]],
    // Linking DigitalOcean would not help, so the decisive error comes first, not the link one.
    ["an unlinked replica", linkedFixture("replica", (c) => { delete c.interconnect.digitalocean; }), [refused("replica")]],
    // Without PostgreSQL in the copies the link rule still applies to what DigitalOcean copies.
    ["an unlinked replica of objects only still needs its link", linkedFixture("replica", (c) => { delete c.interconnect.digitalocean; c.dataCopies = { engines: ["objects"] }; }),
      ["production.clouds.digitalocean.data.role: 'replica' copies the primary on aws over a private link, and DigitalOcean has none: describe its Partner Network Connect link in interconnect, or set the role to 'standalone'"]],
  ];
  test.each(cases)("%s", (_name, input, expected) => {
    expect(configProblems([input])).toEqual(expected);
  });

  test("the linked fixture loads once DigitalOcean is standalone, and a linked replica that leaves PostgreSQL out loads too", () => {
    expect(configProblems([linkedFixture("standalone")])).toEqual([]);
    expect(configProblems([linkedFixture("replica", (c) => { c.dataCopies = { engines: ["objects"] }; })])).toEqual([]);
  });
});

describe("over every synthesized stack: no migration, the primary stays closed to DigitalOcean", () => {
  const shipped = loadEnvironments(environments);
  const linkedStandalone = loadEnvironments([linkedFixture("standalone")])[0];
  const linkedObjectsReplica = loadEnvironments([linkedFixture("replica", (c) => { c.dataCopies = { engines: ["objects"] }; })])[0];
  const matrix: [string, EnvironmentConfig][] = [
    // Every shipped environment that runs DigitalOcean (staging has none).
    ...shipped.filter((env) => env.clouds.digitalocean).map((env): [string, EnvironmentConfig] => [`shipped ${env.name}`, env]),
    ["production, DigitalOcean linked and standalone", linkedStandalone],
    ["production, DigitalOcean a linked replica of objects only", linkedObjectsReplica],
  ];

  describe.each(matrix)("%s", (_name, env) => {
    const { stacks } = buildStacks([env]);
    const synthesized = [...stacks.entries()].map(([id, stack]) => [id, synthJson(stack)] as const);
    const doCidr = env.clouds.digitalocean?.network.cidr;

    test("no stack starts a DigitalOcean online migration", () => {
      const migrating = synthesized.filter(([, json]) => Object.keys(json.resource?.digitalocean_database_online_migration ?? {}).length > 0).map(([id]) => id);
      expect(migrating).toEqual([]);
    });

    test("no AWS security group admits DigitalOcean's range (its copy is refused, so nothing reaches the primary from it)", () => {
      expect(doCidr).toBeDefined();
      const admitting: string[] = [];
      for (const [id, json] of synthesized) {
        for (const type of ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"]) {
          for (const [name, resource] of Object.entries(json.resource?.[type] ?? {})) {
            if (JSON.stringify(resource).includes(`"${doCidr}"`)) admitting.push(`${id}: ${type}.${name}`);
          }
        }
      }
      expect(admitting).toEqual([]);
    });

    test("the DigitalOcean data contract reports what is copied: its role, or not-built for the objects copy no stack builds", () => {
      const data = synthesized.find(([id]) => id === `${env.name}-digitalocean-data`)![1];
      const role = env.clouds.digitalocean!.data.role;
      expect(data.output?.replication_status.value).toBe(role === "replica" ? "not-built" : role);
      expect(data.output?.replication_source.value).toBe(role === "replica" ? `${env.name}-aws-data` : "");
      expect(data.output?.postgres_replication_secret_ref.value).toBe("");
    });
  });
});

describe("docs/data-across-clouds.md says why, with its sources", () => {
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "data-across-clouds.md"), "utf8");
  const section = doc.slice(doc.indexOf("## PostgreSQL on DigitalOcean"));

  test("a section names the refused field and the way out", () => {
    expect(doc).toContain("## PostgreSQL on DigitalOcean");
    expect(section).toContain("`clouds.digitalocean.data.role`");
    expect(section).toContain("`standalone`");
  });

  test("each limitation cites the provider or vendor page it comes from", () => {
    for (const source of [
      "registry.terraform.io/providers/digitalocean/digitalocean/2.71.0/docs/resources/database_online_migration",
      "docs.digitalocean.com/products/databases/postgresql/how-to/migrate",
      "docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.rds_superuser.html",
    ]) {
      expect(section).toContain(source);
    }
  });

  test("the doc no longer lists a DigitalOcean PostgreSQL replica as merely unbuilt", () => {
    expect(doc).not.toContain("**PostgreSQL replica on DigitalOcean.**");
  });
});
