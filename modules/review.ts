/**
 * Review mode: stacks read their upstream contracts from typed placeholders (locals) instead of
 * `terraform_remote_state`, so a stack can be planned before its upstream stacks were ever
 * deployed (a remote state with no stored state fails the plan). For `cdktf diff`/`synth` and
 * `terraform plan` in review only: a plan made this way points at placeholder ids, never apply it.
 * See docs/state-and-review.md.
 */
import { TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import type { ContractSource } from "./contracts/contract";

/** The environment variable that turns review mode on (`ADDTOCLOUD_REVIEW=1`). */
export const REVIEW_ENV = "ADDTOCLOUD_REVIEW";
/** The cdktf context key that turns review mode on (`"addtocloud:review": true` in cdktf.json). */
export const REVIEW_CONTEXT = "addtocloud:review";

/** True when `scope`'s app synthesizes in review mode. */
export function reviewMode(scope: Construct): boolean {
  return process.env[REVIEW_ENV] === "1" || scope.node.tryGetContext(REVIEW_CONTEXT) === true;
}

/**
 * A contract source of placeholders: each field read becomes one local `<prefix>__<field>` holding
 * that field's placeholder, so the plan shows which upstream value it stands in for.
 */
export function placeholderSource(scope: Construct, prefix: string, values: Record<string, unknown>): ContractSource {
  const locals = new Map<string, TerraformLocal>();
  const local = (key: string): TerraformLocal => {
    if (!(key in values)) throw new Error(`review placeholders for '${prefix}' have no field '${key}'`);
    let found = locals.get(key);
    if (!found) {
      found = new TerraformLocal(scope, `${prefix}__${key}`, values[key]);
      locals.set(key, found);
    }
    return found;
  };
  return {
    getString: (key) => local(key).asString,
    getNumber: (key) => local(key).asNumber,
    getList: (key) => local(key).asList,
    getBoolean: (key) => local(key).asBoolean,
  };
}
