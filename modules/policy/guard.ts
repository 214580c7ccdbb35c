/**
 * Production guards: an aspect that fails synthesis, with the construct path, when a production
 * stack holds unencrypted storage, a publicly reachable database, or a stateful resource that a
 * destroy would remove. Relaxing a default in props is possible; shipping it to production is not.
 */
import { Annotations, IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import { Attributes, POLICY_RULES, PolicyRule } from "./rules";

const GUARDED = Symbol.for("addtocloud.policy.guarded");

/** The attributes of a resource as they will be synthesized (overrides and lifecycle included). */
export function synthesizedAttributes(resource: TerraformResource): Attributes {
  const json = resource.toTerraform() as { resource?: Record<string, Record<string, Attributes>> };
  const byType = json.resource?.[resource.terraformResourceType] ?? {};
  return Object.values(byType)[0] ?? {};
}

export class ProductionPolicyAspect implements IAspect {
  constructor(private readonly rules: readonly PolicyRule[] = POLICY_RULES) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    // Synthesizing a stack twice (tests do) must not report a violation twice.
    if ((node as unknown as Record<symbol, boolean>)[GUARDED]) return;
    Object.defineProperty(node, GUARDED, { value: true, enumerable: false });
    const rules = this.rules.filter((rule) => rule.types.includes(node.terraformResourceType));
    if (rules.length === 0) return;
    const attributes = synthesizedAttributes(node);
    for (const rule of rules) {
      if (!rule.complies(attributes)) {
        Annotations.of(node).addError(`[policy:${rule.kind}] ${node.terraformResourceType}: ${rule.problem}`);
      }
    }
  }
}
