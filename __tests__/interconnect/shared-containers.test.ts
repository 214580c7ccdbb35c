/**
 * Gateway stacks add routes and firewall rules to tables and groups that other stacks own (the AWS
 * network's private and database route tables, the EKS node security group, the Azure network's
 * NSGs). Terraform treats an inline list (`route`, `ingress`/`egress`, `security_rule`) on the owner
 * as the whole truth: the owner's next apply would delete what the gateway added, and the links
 * would lose their routes or firewall rules. This checks, over every gateway stack of every shipped
 * environment, that each container it adds to is declared without the inline list.
 */
import { TerraformJson, buildStacks, resourcesOf, shippedEnvironments, synthJson } from "../support/synth";

const envs = shippedEnvironments();
const { stacks } = buildStacks(envs);
const json = new Map<string, TerraformJson>();
const synthOf = (id: string): TerraformJson => {
  if (!json.has(id)) json.set(id, synthJson(stacks.get(id)!));
  return json.get(id)!;
};
const gatewayIds = [...stacks.values()].filter((s) => s.layer === "gateway").map((s) => s.node.id);

/** The resources (`type.name`) an output of a stack refers to. */
function referenced(j: TerraformJson, output: string): { type: string; name: string }[] {
  const text = JSON.stringify(j.output?.[output]?.value ?? null);
  return [...text.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(?:id|name)\}/g)].map((m) => ({ type: m[1], name: m[2] }));
}

/** What a gateway stack adds to a container of another stack, and the inline list that must be absent there. */
const SHARED = [
  { added: "aws_route", owner: "aws-network", outputs: ["private_route_table_ids", "database_route_table_id"], inline: ["route"] },
  { added: "aws_vpc_security_group_ingress_rule", owner: "aws-cluster", outputs: ["node_security_group_id"], inline: ["ingress", "egress"] },
] as const;

describe.each(gatewayIds.map((id) => [id] as const))("%s", (id) => {
  const j = synthOf(id);
  const env = id.replace(/-(aws|gcp|azure|digitalocean)-gateway$/, "");

  for (const shared of SHARED) {
    const adds = Object.keys(resourcesOf(j, shared.added)).length;
    const ownerId = `${env}-${shared.owner}`;
    if (adds === 0 || !stacks.has(ownerId)) continue;
    test(`the ${shared.added}s it adds are not undone by ${ownerId}'s inline ${shared.inline.join("/")}`, () => {
      const owner = synthOf(ownerId);
      const targets = shared.outputs.flatMap((o) => referenced(owner, o));
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) {
        const resource = resourcesOf(owner, t.type)[t.name];
        expect(resource).toBeDefined();
        for (const attr of shared.inline) expect({ target: `${t.type}.${t.name}`, [attr]: resource[attr] }).toEqual({ target: `${t.type}.${t.name}`, [attr]: undefined });
      }
    });
  }

  const nsgRules = Object.values<any>(resourcesOf(j, "azurerm_network_security_rule")).filter((r) => !String(r.network_security_group_name).startsWith("${"));
  const ownerId = `${env}-azure-network`;
  if (nsgRules.length > 0 && stacks.has(ownerId)) {
    test(`the NSG rules it adds are not undone by ${ownerId}'s inline security_rule`, () => {
      const groups = Object.values<any>(resourcesOf(synthOf(ownerId), "azurerm_network_security_group"));
      for (const rule of nsgRules) {
        const group = groups.find((g) => g.name === rule.network_security_group_name);
        expect({ rule: rule.name, group: group?.name }).toEqual({ rule: rule.name, group: rule.network_security_group_name });
        expect({ group: group.name, security_rule: group.security_rule }).toEqual({ group: group.name, security_rule: undefined });
      }
    });
  }
});
