// The pull request's plan comment: a table of the affected stacks with each plan's summary
// (add/change/destroy), every full plan folded, and any destroy in a production stack flagged at
// the top. The pull-request workflow runs it on the diff jobs' artifacts and posts the result as
// one comment, updated in place (the marker below finds it again).
//
//   npx tsx scripts/plan-comment.ts <plans dir> <matrix json> <manual json> <removed json> > comment.md
//   (<plans dir>/<stack>/meta.json is the job's matrix entry, plan.txt its `cdktf diff` output,
//    outcome its step outcome)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** Finds the comment again on the next push. */
export const COMMENT_MARKER = "<!-- addtocloud-plan -->";
/** GitHub refuses comments over 65,536 characters; plans are cut to stay under it. */
const MAX_COMMENT = 60_000;

export interface PlanResult {
  readonly stack: string;
  readonly production: boolean;
  /** The diff step's outcome: success, failure, cancelled, skipped (or missing when the job never ran). */
  readonly outcome: string;
  readonly text: string;
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly import: number;
}

/** Terraform's summary line, or zeros for "No changes."; undefined when the plan did not finish. */
export function summarize(text: string): PlanSummary | undefined {
  const plain = stripAnsi(text);
  const match = /Plan:(?: (\d+) to import,)? (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(plain);
  if (match) return { import: Number(match[1] ?? 0), add: Number(match[2]), change: Number(match[3]), destroy: Number(match[4]) };
  if (/No changes\./.test(plain)) return { import: 0, add: 0, change: 0, destroy: 0 };
  return undefined;
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

export function renderComment(plans: readonly PlanResult[], manual: readonly string[] = [], removed: readonly string[] = []): string {
  const sorted = [...plans].sort((a, b) => a.stack.localeCompare(b.stack));
  const summaries = new Map(sorted.map((p) => [p.stack, summarize(p.text)]));
  const head: string[] = [COMMENT_MARKER, "## Infrastructure plan", ""];
  const destroys = sorted.filter((p) => p.production && (summaries.get(p.stack)?.destroy ?? 0) > 0);
  if (destroys.length > 0) {
    head.push(`> [!CAUTION]`);
    head.push(`> **Production destroys:** ${destroys.map((p) => `\`${p.stack}\` (${summaries.get(p.stack)!.destroy})`).join(", ")}`, "");
  }
  const failed = sorted.filter((p) => p.outcome !== "success" || !summaries.get(p.stack));
  if (failed.length > 0) head.push(`> [!WARNING]`, `> **Plans that did not finish:** ${failed.map((p) => `\`${p.stack}\``).join(", ")}`, "");
  if (sorted.length === 0 && manual.length === 0 && removed.length === 0) head.push("No stack is affected by this change.");
  if (sorted.length > 0) {
    head.push("| stack | plan | add | change | destroy |", "|---|---|---:|---:|---:|");
    for (const p of sorted) {
      const s = summaries.get(p.stack);
      const result = !s ? `${p.outcome === "success" ? "no summary" : p.outcome}` : s.add + s.change + s.destroy + s.import === 0 ? "no changes" : "changes";
      const destroy = s ? (p.production && s.destroy > 0 ? `**${s.destroy}**` : String(s.destroy)) : "-";
      head.push(`| \`${p.stack}\`${p.production ? " (production)" : ""} | ${result} | ${s?.add ?? "-"} | ${s?.change ?? "-"} | ${destroy} |`);
    }
    head.push("");
  }
  if (manual.length > 0) head.push(`Bootstrap stacks keep local state and are applied by hand: ${manual.map((id) => `\`${id}\``).join(", ")}.`, "");
  if (removed.length > 0) head.push(`Stacks this change removes (destroy them by hand from the base revision): ${removed.map((id) => `\`${id}\``).join(", ")}.`, "");

  const budget = Math.max(1_000, Math.floor((MAX_COMMENT - head.join("\n").length) / Math.max(1, sorted.length)) - 200);
  const folded = sorted.map((p) => {
    let text = stripAnsi(p.text).trim() || "(no output)";
    if (text.length > budget) text = `${text.slice(0, budget)}\n... cut: the full plan is in the job's artifact plan-${p.stack}`;
    return `<details><summary>${p.stack}</summary>\n\n\`\`\`\n${text.replace(/```/g, "`\u200b``")}\n\`\`\`\n</details>`;
  });
  return `${[...head, ...folded].join("\n")}\n`;
}

/** Reads the diff jobs' artifacts: `<dir>/<stack>/{meta.json,plan.txt,outcome}`. */
export function readPlans(dir: string): PlanResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => {
    const at = (file: string) => path.join(dir, name, file);
    const meta = JSON.parse(readFileSync(at("meta.json"), "utf8")) as { stack: string; production: boolean };
    const read = (file: string) => (existsSync(at(file)) ? readFileSync(at(file), "utf8") : "");
    return { stack: meta.stack, production: meta.production, outcome: read("outcome").trim() || "missing", text: read("plan.txt") };
  });
}

/** Adds the matrix's stacks that left no artifact (a job that never started), as not finished. */
export function withMissing(plans: readonly PlanResult[], matrix: { include: { stack: string; production: boolean }[] }): PlanResult[] {
  const missing = matrix.include.filter((entry) => !plans.some((p) => p.stack === entry.stack));
  return [...plans, ...missing.map((entry) => ({ stack: entry.stack, production: entry.production, outcome: "missing", text: "" }))];
}

if (require.main === module) {
  const [dir, matrix, manual, removed] = process.argv.slice(2);
  const plans = withMissing(readPlans(dir ?? "plans"), JSON.parse(matrix || '{"include":[]}'));
  process.stdout.write(renderComment(plans, JSON.parse(manual || "[]"), JSON.parse(removed || "[]")));
}
