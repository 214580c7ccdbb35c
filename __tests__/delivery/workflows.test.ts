/**
 * The GitHub Actions workflows, parsed: every action pinned to a full commit SHA, least permissions
 * per job with `id-token: write` only where a job assumes a cloud identity, no cloud key anywhere,
 * one concurrency group per stack for applies, production behind its GitHub environment after
 * staging, enough wave jobs for the shipped stack graph, and the diff matrix fed by affected-stacks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { createApp } from "../../modules/app";
import { buildEnvironments } from "../../stacks/app";
import { deployWaves, readManifest, wavesByEnvironmentTable } from "../../scripts/waves";
import { shippedEnvironment, shippedEnvironments } from "../support/synth";

const root = path.join(__dirname, "..", "..");
const workflowDir = path.join(root, ".github", "workflows");
const files = [
  ...readdirSync(workflowDir).map((f) => path.join(".github", "workflows", f)),
  ...readdirSync(path.join(root, ".github", "actions")).map((d) => path.join(".github", "actions", d, "action.yml")),
];
const text = (file: string) => readFileSync(path.join(root, file), "utf8");
const doc = (file: string): any => parse(text(file));
const workflows = files.filter((f) => f.includes("workflows"));
const jobsOf = (file: string): [string, any][] => Object.entries(doc(file).jobs);

describe("actions are pinned", () => {
  test.each(files)("%s: every action is a full commit SHA with its version in a comment, or a local path", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((line) => /^\s*(-\s+)?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) {
      const ref = /uses:\s*(\S+)/.exec(line)![1];
      if (ref.startsWith("./")) continue;
      expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(line).toMatch(/ # v\d+\.\d+\.\d+$/);
    }
  });
});

describe("permissions", () => {
  test.each(workflows)("%s grants nothing at the top and names each job's permissions", (file) => {
    expect(doc(file).permissions).toEqual({});
    for (const [name, job] of jobsOf(file)) {
      expect([name, job.permissions]).toEqual([name, expect.any(Object)]);
      expect(Object.values(job.permissions)).not.toContain("write-all");
      expect(job.permissions.contents ?? "read").toBe("read");
    }
  });

  test.each(workflows)("%s: id-token: write only on jobs that log in to a cloud, and every such job has it", (file) => {
    const cloudWorkflows = ["apply-stack.yml", "deploy-environment.yml"];
    for (const [name, job] of jobsOf(file)) {
      const logsIn = (job.steps ?? []).some((s: any) => s.uses === "./.github/actions/cloud-login");
      const callsLogin = typeof job.uses === "string" && cloudWorkflows.some((w) => job.uses.endsWith(w));
      expect([name, job.permissions["id-token"] === "write"]).toEqual([name, logsIn || callsLogin]);
    }
  });

  test("no cloud key is passed to any login: only OIDC exchanges", () => {
    for (const file of files) expect(text(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|credentials_json|\bcreds:|client-secret/);
  });
});

describe("pull requests", () => {
  const pr = doc(".github/workflows/pull-request.yml");

  test("verify installs from the lockfile, type-checks, tests, synthesizes and uploads checkov's SARIF", () => {
    const steps = pr.jobs.verify.steps.map((s: any) => s.run ?? s.uses);
    const index = (pattern: RegExp) => steps.findIndex((s: string) => pattern.test(s));
    const order = [/npm install --no-audit --no-fund --no-save/, /npm run typecheck/, /npm test/, /cdktf synth/, /CHECKOV_SARIF=checkov\.sarif/, /codeql-action\/upload-sarif/].map(index);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(pr.jobs.verify.permissions["security-events"]).toBe("write");
  });

  test("the diff matrix is the affected-stacks command's output, one job per stack with the plan identity", () => {
    expect(pr.jobs.affected.steps.find((s: any) => s.id === "affected").run).toMatch(/scripts\/affected-stacks\.ts --base "\$BASE" --head HEAD --github-output/);
    expect(pr.jobs.diff.strategy.matrix).toBe("${{ fromJSON(needs.affected.outputs.matrix) }}");
    expect(pr.jobs.diff["runs-on"]).toBe("${{ matrix.runner }}");
    expect(pr.jobs.diff.environment).toBeUndefined(); // the plan identities trust repo:<r>:pull_request, which an environment would replace
    const login = pr.jobs.diff.steps.find((s: any) => s.uses === "./.github/actions/cloud-login");
    expect(login.with.mode).toBe("plan");
    expect(pr.jobs.diff.steps.find((s: any) => s.id === "diff").run).toContain('npx cdktf diff "$STACK"');
  });

  test("one comment, found again by its marker and updated in place", () => {
    const script = pr.jobs.comment.steps.find((s: any) => s.uses?.startsWith("actions/github-script@")).with.script;
    expect(script).toContain("<!-- addtocloud-plan -->");
    expect(script).toMatch(/if \(mine\) await github\.rest\.issues\.updateComment/);
    expect(pr.jobs.comment.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });
});

describe("deploys", () => {
  const deploy = doc(".github/workflows/deploy.yml");
  const environment = doc(".github/workflows/deploy-environment.yml");
  const apply = doc(".github/workflows/apply-stack.yml");

  test("merges to main and manual dispatches with an environment input deploy", () => {
    expect(deploy.on.push.branches).toEqual(["main"]);
    expect(deploy.on.workflow_dispatch.inputs.environment.options).toEqual(shippedEnvironments().map((e) => e.name));
  });

  test("production runs after staging succeeded, with the same affected stacks", () => {
    expect(deploy.jobs.production.needs).toEqual(["affected", "staging"]);
    expect(deploy.jobs.production.if).toContain("needs.staging.result == 'success'");
    for (const env of ["staging", "production"]) {
      expect(deploy.jobs[env].with).toEqual({ environment: env, stacks: "${{ needs.affected.outputs.matrix }}" });
    }
  });

  test("each apply runs in the stack's protected GitHub environment, on its runner, one concurrency group per stack", () => {
    const job = apply.jobs.apply;
    expect(job.environment).toBe("${{ fromJSON(inputs.stack).github_environment }}");
    expect(job["runs-on"]).toBe("${{ fromJSON(inputs.stack).runner }}");
    expect(job.concurrency).toEqual({ group: "apply-${{ fromJSON(inputs.stack).stack }}", "cancel-in-progress": false });
    expect(job.steps.find((s: any) => s.uses === "./.github/actions/cloud-login").with.mode).toBe("apply");
  });

  const waveJobs = Object.keys(environment.jobs).filter((name) => name.startsWith("wave-"));

  test("a wave waits for every earlier wave and runs only when none failed", () => {
    waveJobs.forEach((name, i) => {
      const job = environment.jobs[name];
      expect(job.needs).toEqual(["waves", ...waveJobs.slice(0, i)]);
      expect(job.if).toContain("!contains(needs.*.result, 'failure')");
      expect(job.strategy["fail-fast"]).toBe(false);
      expect(job.strategy.matrix.include).toBe(`\${{ fromJSON(needs.waves.outputs.wave_${i}) }}`);
    });
    expect(environment.jobs.waves.steps.at(-1).run).toContain(`--max-waves ${waveJobs.length}`);
    expect(environment.jobs.summary.needs).toEqual(["waves", ...waveJobs]);
    expect(environment.jobs.summary.if).toContain("always()");
  });

  test("there are wave jobs enough for the shipped stack graph, also under native state", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "waves-"));
    try {
      const app = createApp({ outdir: scratch });
      const envs = [...shippedEnvironments(), shippedEnvironment("staging", (input) => {
        input.name = "nativestate";
        input.state = { type: "native", fallback: "aws" };
        input.delivery = { github: { environment: "nativestate", awsOidcProviderArn: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" } };
      })];
      // As the shipped app builds them, with the order between environments (a staging edge under the production zone).
      buildEnvironments(app, envs);
      app.synth();
      const manifest = readManifest(scratch);
      for (const env of envs) expect(deployWaves(manifest, { environment: env.name }).length).toBeLessThanOrEqual(waveJobs.length);
      // The README shows the shipped config's waves.
      const readme = readFileSync(path.join(root, "README.md"), "utf8");
      const shown = /<!-- waves:start -->\n([\s\S]*?)<!-- waves:end -->/.exec(readme)?.[1];
      expect(shown).toBe(wavesByEnvironmentTable(manifest, shippedEnvironments().map((e) => e.name)));
      expect(deployWaves(manifest, { environment: "nativestate" }).length).toBe(6);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
