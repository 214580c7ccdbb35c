/**
 * scripts/affected-stacks.ts and scripts/waves.ts on fixtures: staging synthesized as shipped (the
 * base) against staging after a construct change, an environment's config change and a contract
 * output change; and the deploy waves, including a dependency cycle. The command itself (git
 * worktrees, each revision's own app command) runs end to end in .ci/run on the head commit.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Aspects, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { createApp } from "../../modules/app";
import { EnvironmentConfig } from "../../modules/config/environment";
import { buildEnvironment } from "../../stacks/app";
import { affectedStacks, affectedTable, contractReads, identitiesOf, matrixJson, parseStackId } from "../../scripts/affected-stacks";
import { deployWaves, Manifest, readManifest } from "../../scripts/waves";
import { shippedEnvironment, shippedEnvironments } from "../support/synth";

const scratch = mkdtempSync(path.join(tmpdir(), "affected-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const envs = shippedEnvironments();
const staging = shippedEnvironment("staging");

/** Synthesizes environments into `scratch/<name>`, optionally with an aspect standing in for a code change. */
function synth(name: string, environments: EnvironmentConfig[], aspect?: IAspect): string {
  const outdir = path.join(scratch, name);
  const app = createApp({ outdir });
  for (const env of environments) {
    // cdktf invokes aspects from each stack down, not from the app.
    for (const stack of buildEnvironment(app, env)) if (aspect) Aspects.of(stack).add(aspect);
  }
  app.synth();
  return outdir;
}

function stackJson(outdir: string, id: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
}

const base = synth("base", [staging]);
const ids = Object.keys(readManifest(base).stacks);
let everyEnvironment: string | undefined;
/** Every shipped environment, synthesized once for the tests that need them all. */
const shipped = () => (everyEnvironment ??= synth("shipped", envs));

describe("affected stacks", () => {
  test("the same code and config affect nothing", () => {
    const result = affectedStacks(base, synth("same", [staging]), envs);
    expect(result).toEqual({ stacks: [], removed: [] });
    expect(affectedTable(result)).toBe("No stack is affected.\n");
  });

  test("a change to a shared construct lists exactly the stacks whose Terraform it reaches", () => {
    // Stands in for an edit of constructs/aws/kms-key.ts: every KMS key gets a new argument.
    const kmsChange: IAspect = {
      visit(node: IConstruct) {
        if (node instanceof TerraformResource && node.terraformResourceType === "aws_kms_key") node.addOverride("multi_region", false);
      },
    };
    const head = synth("construct", [staging], kmsChange);
    const withKeys = ids.filter((id) => "aws_kms_key" in (stackJson(head, id).resource ?? {}));
    const result = affectedStacks(base, head, envs);
    const changed = result.stacks.filter((s) => s.reasons.includes("Terraform changed")).map((s) => s.stack);
    expect(changed).toEqual(withKeys);
    expect(withKeys.length).toBeGreaterThan(1);
    // A stack outside the list must read one of the changed outputs, and say which.
    for (const s of result.stacks.filter((x) => !withKeys.includes(x.stack))) expect(s.reasons.join()).toMatch(/^reads /);
  });

  test("a change to one environment's config lists only that environment's stacks", () => {
    const both = shipped();
    const head = synth("config", [
      envs[0].name === "staging" ? withMaxNodes(envs[0], 5) : envs[0],
      ...envs.slice(1).map((e) => (e.name === "staging" ? withMaxNodes(e, 5) : e)),
    ]);
    const result = affectedStacks(both, head, envs);
    expect(result.stacks.map((s) => s.stack)).toEqual(["staging-aws-cluster"]);
    expect(result.stacks[0]).toMatchObject({ environment: "staging", cloud: "aws", layer: "cluster", production: false, reasons: ["Terraform changed"] });
  });

  test("a changed contract output lists the stacks that read it, naming the output", () => {
    // A new VPC range rewrites the VPC, so every output derived from it may read differently.
    const head = synth("contract", [
      shippedEnvironment("staging", (input) => {
        input.clouds.aws!.network.cidr = "10.111.0.0/16";
      }),
    ]);
    const result = affectedStacks(base, head, envs);
    const byId = Object.fromEntries(result.stacks.map((s) => [s.stack, s.reasons]));
    expect(byId["staging-aws-network"]).toEqual(["Terraform changed"]);
    // The cluster reads vpc_id and private_subnet_ids of the network: both derive from the VPC.
    expect(byId["staging-aws-cluster"]).toEqual([expect.stringMatching(/^reads .*staging-aws-network\.vpc_id/)]);
    // Stacks of the other cloud neither changed nor read the network.
    expect(Object.keys(byId).filter((id) => id.includes("-gcp-"))).toEqual([]);
  });

  test("every stack that reads a contract is matched to its producer by the state key", () => {
    for (const id of ids) {
      const reads = contractReads(stackJson(base, id), ids);
      const dependencies = readManifest(base).stacks[id].dependencies;
      expect(reads.map((r) => r.producer).every((p) => dependencies.includes(p))).toBe(true);
      for (const read of reads) expect(read.outputs.length).toBeGreaterThan(0);
    }
  });

  test("jobs log in to the clouds each stack's providers and state reach, private stacks go to the network's runner", () => {
    const everything = shipped();
    const result = affectedStacks(path.join(scratch, "nothing"), everything, envs);
    const privateLayers = (s: { cloud: string; layer: string }) => s.layer === "platform" || (s.cloud === "azure" && (s.layer === "data" || s.layer === "messaging"));
    expect(result.stacks.some((s) => s.cloud === "interconnect")).toBe(true);
    for (const s of result.stacks) {
      // Its own cloud, or both clouds an interconnect link joins.
      const own = s.cloud === "interconnect" ? s.layer.split("-") : [s.cloud];
      for (const cloud of own) expect({ stack: s.stack, [cloud]: s[cloud as "aws"] }).toEqual({ stack: s.stack, [cloud]: true });
      expect(s.runner).toBe(privateLayers(s) ? `addtocloud-${s.environment}-${s.cloud}` : "ubuntu-24.04");
      // Whatever Terraform does through a private endpoint (cluster API, a Key Vault's data plane) needs the network's runner.
      const dataPlane = Object.keys((stackJson(everything, s.stack).resource ?? {}) as object).filter((t) => /^(helm_|kubernetes_|azurerm_key_vault_(key|secret|certificate)$)/.test(t));
      if (dataPlane.length > 0) expect({ stack: s.stack, private: s.private }).toEqual({ stack: s.stack, private: true });
    }
    expect(identitiesOf("staging-interconnect-aws-gcp", stackJson(everything, "staging-interconnect-aws-gcp"))).toMatchObject({ aws: true, gcp: true, azure: false });
    expect(parseStackId("staging-interconnect-aws-gcp")).toEqual({ environment: "staging", cloud: "interconnect", layer: "aws-gcp" });
    expect(parseStackId("eu-prod-gcp-gateway")).toEqual({ environment: "eu-prod", cloud: "gcp", layer: "gateway" });
    expect(identitiesOf("production-gcp-data", stackJson(everything, "production-gcp-data"))).toMatchObject({ gcp: true, atlas: true, aws: true }); // the replica reads the primary's replication secret
    const matrix = JSON.parse(matrixJson(result));
    expect(matrix.include.some((s: { layer: string }) => s.layer === "bootstrap")).toBe(false);
    expect(matrix.manual).toEqual(result.stacks.filter((s) => s.layer === "bootstrap").map((s) => s.stack));
  });
});

describe("deploy waves", () => {
  test("each stack comes after every stack it depends on, in the fewest waves", () => {
    const manifest = readManifest(base);
    const waves = deployWaves(manifest);
    const waveOf = new Map(waves.flatMap((wave, i) => wave.map((id) => [id, i] as const)));
    expect([...waveOf.keys()].sort()).toEqual([...ids].sort());
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      for (const dependency of stack.dependencies) expect(waveOf.get(dependency)!).toBeLessThan(waveOf.get(id)!);
      // Fewest waves: a stack in wave n > 0 has a dependency in wave n - 1.
      if (waveOf.get(id)! > 0) expect(stack.dependencies.some((d) => waveOf.get(d) === waveOf.get(id)! - 1)).toBe(true);
    }
  });

  test("the affected stacks keep the order of the whole graph", () => {
    const manifest = fixture({ a: [], b: ["a"], c: ["b"], d: [] });
    expect(deployWaves(manifest, { only: ["a", "c", "d"] })).toEqual([["a", "d"], ["c"]]);
  });

  test("one environment's stacks", () => {
    const manifest = fixture({ "staging-aws-network": [], "production-aws-network": [], "staging-aws-cluster": ["staging-aws-network"] });
    expect(deployWaves(manifest, { environment: "staging" })).toEqual([["staging-aws-network"], ["staging-aws-cluster"]]);
  });

  test("a cycle is an error naming the stacks in it", () => {
    const manifest = fixture({ "x-aws-network": [], "x-aws-cluster": ["x-aws-network", "x-aws-data"], "x-aws-data": ["x-aws-platform"], "x-aws-platform": ["x-aws-cluster"] });
    expect(() => deployWaves(manifest)).toThrow(
      "the stack dependencies form a cycle, so no stack of it can be deployed first: x-aws-cluster -> x-aws-data -> x-aws-platform",
    );
  });

  test("a dependency missing from the manifest is an error naming both stacks", () => {
    expect(() => deployWaves(fixture({ a: ["ghost"] }))).toThrow("stack 'a' depends on 'ghost', which is not in the manifest");
  });
});

function fixture(dependencies: Record<string, string[]>): Manifest {
  return {
    stacks: Object.fromEntries(
      Object.entries(dependencies).map(([id, deps]) => [id, { name: id, dependencies: deps, synthesizedStackPath: `stacks/${id}/cdk.tf.json` }]),
    ),
  };
}

function withMaxNodes(env: EnvironmentConfig, max: number): EnvironmentConfig {
  const copy = structuredClone(env);
  copy.clouds.aws!.cluster.nodeGroups[0].scaling.max = max;
  return copy;
}
