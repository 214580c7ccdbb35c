/** The pull request's plan comment: summaries read from `cdktf diff` output, production destroys flagged first. */
import { COMMENT_MARKER, renderComment, summarize, withMissing } from "../../scripts/plan-comment";

const plan = (stack: string, production: boolean, summary: string, outcome = "success") => ({
  stack,
  production,
  outcome,
  text: `${stack}  Terraform will perform the following actions:\n${stack}  \u001b[1mPlan:\u001b[0m ${summary}\n`,
});

describe("plan comment", () => {
  test("reads Terraform's summary line through cdktf's prefixes and colours", () => {
    expect(summarize(plan("s", false, "1 to add, 2 to change, 3 to destroy.").text)).toEqual({ import: 0, add: 1, change: 2, destroy: 3 });
    expect(summarize("s  Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.")).toEqual({ import: 4, add: 0, change: 0, destroy: 0 });
    expect(summarize("s  No changes. Your infrastructure matches the configuration.")).toEqual({ import: 0, add: 0, change: 0, destroy: 0 });
    expect(summarize("Error: error configuring Terraform AWS Provider")).toBeUndefined();
  });

  test("a destroy in a production stack is flagged above the table; staging destroys are not", () => {
    const body = renderComment([
      plan("staging-aws-data", false, "0 to add, 0 to change, 2 to destroy."),
      plan("production-aws-data", true, "1 to add, 0 to change, 1 to destroy."),
    ]);
    const lines = body.split("\n");
    expect(lines[0]).toBe(COMMENT_MARKER);
    const flag = lines.findIndex((l) => l.startsWith("> **Production destroys:**"));
    expect(lines[flag]).toBe("> **Production destroys:** `production-aws-data` (1)");
    expect(flag).toBeLessThan(lines.findIndex((l) => l.startsWith("| stack |")));
    expect(body).toContain("| `production-aws-data` (production) | changes | 1 | 0 | **1** |");
    expect(body).toContain("| `staging-aws-data` | changes | 0 | 0 | 2 |");
    expect(body).toContain("<details><summary>production-aws-data</summary>");
  });

  test("plans that failed or never started are named, and nothing affected says so", () => {
    const body = renderComment(withMissing([plan("staging-gcp-data", false, "", "failure")], { include: [{ stack: "staging-gcp-data", production: false }, { stack: "staging-aws-platform", production: false }] }));
    expect(body).toContain("> **Plans that did not finish:** `staging-aws-platform`, `staging-gcp-data`");
    expect(renderComment([])).toContain("No stack is affected by this change.");
  });

  test("long plans are cut so the comment stays under GitHub's limit", () => {
    const long = { ...plan("production-aws-cluster", true, "1 to add, 0 to change, 0 to destroy."), text: "x".repeat(200_000) + "\nPlan: 1 to add, 0 to change, 0 to destroy." };
    const body = renderComment([long, plan("production-gcp-cluster", true, "0 to add, 0 to change, 0 to destroy.")]);
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("cut: the full plan is in the job's artifact plan-production-aws-cluster");
  });
});
