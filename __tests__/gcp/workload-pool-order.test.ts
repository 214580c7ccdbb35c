/**
 * A GKE Workload Identity pool (`<project>.svc.id.goog`) exists once a cluster with Workload
 * Identity has been created in the project; until then IAM refuses any binding that names it
 * ("Error 400: Identity Pool does not exist (<project>.svc.id.goog)", e.g.
 * terraform-google-modules/terraform-google-kubernetes-engine#916). So on a first apply every
 * stack that grants a role to a Kubernetes service account of the pool (the MongoDB refresh's
 * secret readers in the data stack, the platform's Google service account bindings) must deploy
 * after its environment's GCP cluster stack. Checked over every stack the app synthesizes, in the
 * order cdktf reads from the manifest.
 */
import * as fs from "node:fs";
import { runApp } from "../support/app-output";

const { stacks } = runApp();

/** Every stack cdktf deploys before `id`, directly or through another. */
function deployedBefore(id: string): Set<string> {
  const seen = new Set<string>();
  const visit = (stack: string) => {
    for (const dependency of stacks.get(stack)?.dependencies ?? []) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        visit(dependency);
      }
    }
  };
  visit(id);
  return seen;
}

/**
 * The IAM members of a stack that name a GKE Workload Identity pool, literally or through the
 * cluster contract's `workload_identity_pool` (GitHub's federation pools are made in their own stack).
 */
function poolMembers(json: any): string[] {
  const members: string[] = [];
  for (const [type, resources] of Object.entries<Record<string, any>>(json.resource ?? {})) {
    if (!/^google_.*_iam_(member|binding)$/.test(type)) continue;
    for (const resource of Object.values(resources)) {
      for (const member of [resource.member, ...(resource.members ?? [])]) {
        if (typeof member === "string" && /svc\.id\.goog|\.workload_identity_pool\b/.test(member)) members.push(member);
      }
    }
  }
  return members;
}

const granting = [...stacks.values()]
  .map((stack) => ({ id: stack.id, members: poolMembers(JSON.parse(fs.readFileSync(stack.file, "utf8"))) }))
  .filter((stack) => stack.members.length > 0);

test("some stacks grant roles to Workload Identity principals (the check below has something to check)", () => {
  expect(granting.map((stack) => stack.id)).toEqual(expect.arrayContaining(["production-gcp-data", "production-gcp-platform"]));
});

test.each(granting.map((stack) => [stack.id, stack.members] as const))("%s deploys after the GCP cluster whose Workload Identity pool its IAM members name", (id) => {
  const env = id.split("-")[0];
  expect([...deployedBefore(id)]).toContain(`${env}-gcp-cluster`);
});
