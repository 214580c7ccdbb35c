/** The contract table of docs/contracts.md, generated from the contract definitions. */
import { Contract, Fields } from "./contract";
import * as layers from "./layers";

/** Which stacks publish each contract. */
const PUBLISHERS: Record<string, string> = {
  bootstrap: "every `<env>-<cloud>-bootstrap`",
  network: "every `<env>-<cloud>-network`",
  cluster: "every `<env>-<cloud>-cluster`",
  data: "every `<env>-<cloud>-data`",
  platform: "every `<env>-<cloud>-platform`",
  edge: "`<env>-cloudflare-edge`",
  messaging: "every `<env>-<cloud>-messaging`",
  gateway: "every `<env>-<cloud>-gateway`",
  link: "every `<env>-interconnect-<a>-<b>`",
  attachment: "`<env>-digitalocean-gateway`",
};

function publisher(contract: Contract<Fields>): string {
  const [cloud, layer] = contract.name.includes("-") ? contract.name.split("-") : [undefined, contract.name];
  return cloud ? `\`<env>-${cloud}-${layer}\` (adds to ${layer})` : PUBLISHERS[layer] ?? contract.name;
}

/** Markdown table: stack, output, type, meaning. Common contracts first, then cloud extensions' own fields. */
export function contractTable(): string {
  const LAYER_ORDER = ["bootstrap", "network", "cluster", "data", "platform", "edge", "messaging", "gateway", "link", "attachment"];
  const CLOUD_ORDER = ["", "aws", "gcp", "azure", "digitalocean"];
  const rank = (c: Contract<Fields>) => {
    const [cloud, layer] = c.name.includes("-") ? c.name.split("-") : ["", c.name];
    return LAYER_ORDER.indexOf(layer) * 10 + CLOUD_ORDER.indexOf(cloud);
  };
  const contracts = (Object.values(layers) as unknown[])
    .filter((value): value is Contract<Fields> => value instanceof Contract)
    .sort((a, b) => rank(a) - rank(b));
  const common = contracts.filter((c) => !c.name.includes("-"));
  const rows: string[] = ["| stack | output | type | meaning |", "|---|---|---|---|"];
  for (const contract of contracts) {
    const base = common.find((c) => contract.name.endsWith(`-${c.name}`));
    for (const [key, spec] of Object.entries(contract.fields)) {
      if (base && key in base.fields) continue;
      const type = spec.type === "list" ? "list(string)" : spec.type;
      rows.push(`| ${publisher(contract)} | \`${key}\` | ${type} | ${spec.description.replace(/\|/g, "\\|")} |`);
    }
  }
  return rows.join("\n") + "\n";
}

const START = "<!-- contract-table:start -->";
const END = "<!-- contract-table:end -->";

/** `readme` with the text between the contract-table markers replaced by the current table. */
export function replaceContractTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/contracts.md lacks the ${START} / ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${contractTable()}${readme.slice(end)}`;
}
