/** The `interconnect` config: which pairs are linked, and every way a link can be written wrong. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environments } from "../../config";
import { loadEnvironments } from "../../modules/config/load";
import { advertisedRanges, azureApipaAddresses, interconnectLinks } from "../../modules/interconnect";
import { synthesize } from "../../stacks/app";
import { configProblems } from "../support/config";

function env(name: string, mutate: (input: any) => void = () => undefined): any {
  const input = structuredClone(environments.find((e) => e.name === name)!) as any;
  mutate(input);
  return input;
}

const problemsOf = (input: unknown) => configProblems([input]);

describe("which clouds are linked", () => {
  test("by default every pair of enabled AWS, GCP and Azure is linked: production has three links, staging one", () => {
    const [staging, production] = loadEnvironments(environments);
    expect(interconnectLinks(production).map((l) => l.name)).toEqual(["aws-gcp", "aws-azure", "gcp-azure"]);
    expect(interconnectLinks(staging).map((l) => l.name)).toEqual(["aws-gcp"]);
  });

  test("links written in any order are put in canonical order, and `enabled: false` removes them all", () => {
    // GCP's replica needs its aws-gcp link (modules/config/data-roles.ts): standalone without links.
    const [linked] = loadEnvironments([env("production", (c) => { c.interconnect = { links: [{ clouds: ["azure", "aws"] }] }; c.clouds.gcp.data.role = "standalone"; })]);
    expect(interconnectLinks(linked).map((l) => l.name)).toEqual(["aws-azure"]);
    const [off] = loadEnvironments([env("production", (c) => { c.interconnect = { enabled: false }; c.clouds.gcp.data.role = "standalone"; c.clouds.azure.data.role = "standalone"; })]);
    expect(interconnectLinks(off)).toEqual([]);
  });

  test("links with AWS have four tunnels, GCP to Azure two, each on its own /30", () => {
    const [, production] = loadEnvironments(environments);
    const counts = Object.fromEntries(interconnectLinks(production).map((l) => [l.name, l.insideCidrs.length]));
    expect(counts).toEqual({ "aws-gcp": 4, "aws-azure": 4, "gcp-azure": 2 });
  });

  test("Azure's APIPA addresses are the second host of each of its tunnels, split over its two instances", () => {
    const [, production] = loadEnvironments(environments);
    expect(azureApipaAddresses(production)).toEqual([
      ["169.254.21.2", "169.254.21.6", "169.254.21.10"],
      ["169.254.22.2", "169.254.22.6", "169.254.22.10"],
    ]);
  });

  test("each cloud advertises only its own network ranges", () => {
    const [, production] = loadEnvironments(environments);
    expect(advertisedRanges(production, "aws")).toEqual(["10.10.0.0/16"]);
    expect(advertisedRanges(production, "gcp")).toEqual(["10.20.0.0/20", "10.21.0.0/16", "10.22.16.0/20"]);
    expect(advertisedRanges(production, "azure")).toEqual(["10.30.0.0/16"]);
  });
});

describe("bad interconnect config stops with the field and the problem", () => {
  const cases: [string, string, (input: any) => void, string[]][] = [
    ["a duplicate ASN", "production", (c) => { c.interconnect = { asn: { gcp: 64512 } }; },
      ["production.interconnect.asn.gcp: 64512 is already the ASN of aws; every cloud needs its own"]],
    ["a public ASN", "production", (c) => { c.interconnect = { asn: { aws: 16509 } }; },
      ["production.interconnect.asn.aws: must be a private ASN in 64512-65534 or 4200000000-4294967294"]],
    ["an ASN Azure reserves, on a peer of Azure", "production", (c) => { c.interconnect = { asn: { gcp: 65517 } }; },
      ["production.interconnect.asn.gcp: 65517 is reserved by Azure (65515-65520); a peer of an Azure VPN gateway cannot use it"]],
    ["a link to a cloud the environment lacks", "staging", (c) => { c.interconnect = { links: [{ clouds: ["aws", "azure"] }] }; },
      ["staging.interconnect.links[0].clouds: 'azure' is not enabled in this environment"]],
    ["a link to DigitalOcean, which has no VPN gateway", "production", (c) => { c.interconnect = { links: [{ clouds: ["aws", "digitalocean"] }] }; },
      ["production.interconnect.links[0].clouds: digitalocean has no IPsec VPN gateway; it joins through interconnect.digitalocean.partnerAttachment"]],
    ["a cloud linked to itself", "production", (c) => { c.interconnect = { links: [{ clouds: ["gcp", "gcp"] }] }; },
      ["production.interconnect.links[0].clouds: links gcp to itself"]],
    ["the same pair twice", "production", (c) => { c.interconnect = { links: [{ clouds: ["aws", "gcp"] }, { clouds: ["gcp", "aws"] }] }; },
      ["production.interconnect.links[1].clouds: links aws and gcp a second time"]],
    ["the wrong number of inside CIDRs", "staging", (c) => { c.interconnect = { links: [{ clouds: ["aws", "gcp"], insideCidrs: ["169.254.10.0/30", "169.254.10.4/30"] }] }; },
      ["staging.interconnect.links[0].insideCidrs: lists 2 CIDRs; a link between aws and gcp has 4 tunnels, one /30 each"]],
    ["an inside CIDR that is not a /30", "staging", (c) => {
      c.interconnect = { links: [{ clouds: ["aws", "gcp"], insideCidrs: ["169.254.10.0/29", "169.254.10.8/30", "169.254.10.12/30", "169.254.10.16/30"] }] };
    }, ["staging.interconnect.links[0].insideCidrs[0]: 169.254.10.0/29 must be a /30 (one address for each end of the tunnel)"]],
    ["an inside CIDR outside link-local space", "staging", (c) => {
      c.interconnect = { links: [{ clouds: ["aws", "gcp"], insideCidrs: ["10.0.0.0/30", "169.254.10.4/30", "169.254.10.8/30", "169.254.10.12/30"] }] };
    }, ["staging.interconnect.links[0].insideCidrs[0]: 10.0.0.0/30 must be inside 169.254.0.0/16 (link-local addresses for BGP)"]],
    ["an inside CIDR AWS reserves", "staging", (c) => {
      c.interconnect = { links: [{ clouds: ["aws", "gcp"], insideCidrs: ["169.254.169.252/30", "169.254.10.4/30", "169.254.10.8/30", "169.254.10.12/30"] }] };
    }, ["staging.interconnect.links[0].insideCidrs[0]: 169.254.169.252/30 is reserved by AWS and refused as a tunnel inside CIDR (169.254.0.0/30, 169.254.1.0/30, 169.254.2.0/30, 169.254.3.0/30, 169.254.4.0/30, 169.254.5.0/30, 169.254.169.252/30)"]],
    ["overlapping inside CIDRs", "staging", (c) => {
      c.interconnect = { links: [{ clouds: ["aws", "gcp"], insideCidrs: ["169.254.10.0/30", "169.254.10.0/30", "169.254.10.8/30", "169.254.10.12/30"] }] };
    }, ["staging.interconnect.links[0].insideCidrs[1]: 169.254.10.0/30 overlaps interconnect.links[0].insideCidrs[0] (169.254.10.0/30); every tunnel needs its own /30"]],
    ["an Azure tunnel outside Azure's APIPA range", "production", (c) => {
      c.interconnect = { links: [{ clouds: ["gcp", "azure"], insideCidrs: ["169.254.20.0/30", "169.254.22.8/30"] }] };
    }, ["production.interconnect.links[0].insideCidrs[0]: 169.254.20.0/30 is outside the range Azure accepts for BGP addresses (169.254.21.0-169.254.22.255)"]],
    ["a partner attachment without DigitalOcean", "staging", (c) => {
      c.interconnect = {
        digitalocean: {
          partnerAttachment: { naasProvider: "MEGAPORT", region: "nyc", bandwidthMbps: 1000, peerCloud: "aws", bgp: { localRouterIp: "169.254.100.1/29", peerRouterIp: "169.254.100.6/29", peerRouterAsn: 64512 } },
        },
      };
    }, ["staging.interconnect.digitalocean: describes a partner attachment but digitalocean is not enabled in this environment"]],
    ["a partner attachment to a cloud the environment lacks", "production", (c) => {
      delete c.clouds.azure;
      c.interconnect = {
        digitalocean: {
          partnerAttachment: { naasProvider: "MEGAPORT", region: "nyc", bandwidthMbps: 1000, peerCloud: "azure", bgp: { localRouterIp: "169.254.100.1/29", peerRouterIp: "169.254.100.6/29", peerRouterAsn: 64512 } },
        },
      };
    }, ["production.interconnect.digitalocean.partnerAttachment.peerCloud: 'azure' is not enabled in this environment"]],
  ];

  test.each(cases)("%s", (_name, envName, mutate, expected) => {
    expect(problemsOf(env(envName, mutate))).toEqual(expected);
  });
});

test("a bad interconnect section stops synthesis before anything is written", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "interconnect-bad-")), "out");
  const bad = env("staging", (c) => { c.interconnect = { asn: { gcp: 64512 } }; });
  expect(() => synthesize([bad], { outdir })).toThrow("staging.interconnect.asn.gcp: 64512 is already the ASN of aws; every cloud needs its own");
  expect(fs.existsSync(outdir)).toBe(false);
});
