/**
 * HCL output (`cdktf synth --hcl`) written from the stack's Terraform JSON, the file Terraform reads.
 *
 * cdktf 0.21's own HCL renderer writes output no Terraform accepts or that says something else than
 * the JSON: `0 = "required_version"` for any scalar in the `terraform` block, `{ 0 = ... }` for a list
 * inside a map (the monitor's Host header), a heredoc with an extra trailing newline for every
 * multi-line string (Helm values), empty block lists dropped, and block syntax for the nested
 * attributes of plugin-framework providers (Cloudflare v5's `filter { }`, Helm 3's provider
 * `kubernetes { }`), which Terraform rejects with "Unsupported block type". Its input also never sees
 * stack-level overrides other than `terraform` (an `ephemeral` block would be lost).
 *
 * So the HCL is rendered here from the JSON. What JSON cannot say is which keys are nested blocks
 * (HCL `name { }`) rather than attributes (`name = { }`); that comes from the provider bindings'
 * HCL metadata (see {@link blockPaths}).
 */
import { TerraformElement, TerraformStack } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";

/**
 * Providers built on the plugin framework whose nested objects are attributes: the bindings mark
 * them `isBlock: true, type: "struct"` exactly like an SDKv2 single block (e.g. `timeouts`), so
 * the provider decides. Checked against the pinned providers' schemas: Cloudflare 5.x declares
 * nested attributes only; Helm 3.x declares the provider's `kubernetes`/`exec` as single nested
 * attributes.
 */
const NESTED_ATTRIBUTE_PROVIDERS = new Set(["cloudflare", "helm"]);

/** Keys of `<kind> "<type>"` bodies that are meta-arguments written as bare references. */
const REFERENCE_LISTS = new Set(["depends_on"]);

interface HclAttribute {
  readonly value?: unknown;
  readonly isBlock?: boolean;
  /** Provider configurations pass through cdktf's keysToSnakeCase. */
  readonly is_block?: boolean;
  readonly type?: string;
}

function isHclAttribute(value: unknown): value is HclAttribute {
  return typeof value === "object" && value !== null && ("isBlock" in value || "is_block" in value) && "type" in value;
}

function providerOf(type: string): string {
  return type.split("_")[0];
}

/**
 * The nested-block paths of every resource, data source and provider type in `stack`, as
 * `<kind>.<type>.<key>[.<key>...]` (list indices dropped), read from the bindings' HCL metadata:
 * a block is `isBlock` with a list or set type (SDKv2 and framework blocks alike), or a single
 * struct of a provider outside {@link NESTED_ATTRIBUTE_PROVIDERS}.
 */
export function blockPaths(stack: TerraformStack): Set<string> {
  const paths = new Set<string>();
  const walk = (provider: string, attributes: unknown, prefix: string) => {
    if (!attributes || typeof attributes !== "object") return;
    for (const [key, attribute] of Object.entries(attributes)) {
      if (!isHclAttribute(attribute)) continue;
      const path = `${prefix}.${key}`;
      const isBlock = attribute.isBlock ?? attribute.is_block;
      const listBlock = isBlock && (attribute.type === "list" || attribute.type === "set");
      const singleBlock = isBlock && attribute.type === "struct" && !NESTED_ATTRIBUTE_PROVIDERS.has(provider);
      if (listBlock || singleBlock) paths.add(path);
      const items = Array.isArray(attribute.value) ? attribute.value : [attribute.value];
      for (const item of items) walk(provider, item, path);
    }
  };
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformElement)) continue;
    const fragment = resolve(stack, node.toHclTerraform()) as Record<string, any>;
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of Object.entries<Record<string, unknown>>(fragment[kind] ?? {})) {
        for (const body of Object.values(byName)) walk(providerOf(type), body, `${kind}.${type}`);
      }
    }
    for (const [name, configs] of Object.entries<unknown>(fragment.provider ?? {})) {
      for (const config of Array.isArray(configs) ? configs : [configs]) walk(name, config, `provider.${name}`);
    }
  }
  return paths;
}

/**
 * A JSON string as an HCL quoted string that is the same template. Terraform reads both as
 * templates: `${...}`/`%{...}` sequences are copied as they are (their contents are HCL
 * expressions, whose own quotes must stay unescaped), `$${`/`%%{` escapes mean the same in both,
 * and only the literal text between them is escaped.
 */
export function quoted(value: string): string {
  let out = "";
  let index = 0;
  while (index < value.length) {
    if (value.startsWith("$${", index) || value.startsWith("%%{", index)) {
      out += value.slice(index, index + 3);
      index += 3;
    } else if (value.startsWith("${", index) || value.startsWith("%{", index)) {
      const end = templateEnd(value, index + 2);
      out += value.slice(index, end);
      index = end;
    } else {
      out += literalChar(value[index]);
      index += 1;
    }
  }
  return `"${out}"`;
}

function literalChar(char: string): string {
  switch (char) {
    case "\\":
      return "\\\\";
    case '"':
      return '\\"';
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    default:
      return char < " " ? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}` : char;
  }
}

/** The index just past the `}` closing a template sequence whose contents start at `start`. */
function templateEnd(value: string, start: number): number {
  let depth = 1;
  let index = start;
  while (index < value.length) {
    const char = value[index];
    if (char === '"') {
      index = stringEnd(value, index + 1);
      continue;
    }
    if (char === "{") depth += 1;
    if (char === "}" && --depth === 0) return index + 1;
    index += 1;
  }
  throw new Error(`unterminated template sequence in ${JSON.stringify(value)}`);
}

/** The index just past the `"` closing a string literal inside an expression that starts at `start`. */
function stringEnd(value: string, start: number): number {
  let index = start;
  while (index < value.length) {
    const char = value[index];
    if (char === "\\") index += 2;
    else if (char === '"') return index + 1;
    else if ((char === "$" || char === "%") && value[index + 1] === "{") index = templateEnd(value, index + 2);
    else index += 1;
  }
  throw new Error(`unterminated string in ${JSON.stringify(value)}`);
}

/** Multi-line text ending in a newline (Helm values) reads best as a heredoc. */
function isHeredoc(value: unknown): value is string {
  if (typeof value !== "string" || !value.endsWith("\n") || value.includes("\r")) return false;
  const lines = value.split("\n");
  return lines.length > 2 && !lines.some((line) => line.trim() === "EOT");
}

/** A heredoc's content is every line up to the marker, each with its newline: exactly `value`. */
function stringValue(value: string): string {
  return isHeredoc(value) ? `<<EOT\n${value}EOT` : quoted(value);
}

function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : quoted(key);
}

/** An attribute value (expression) in HCL native syntax. */
export function expression(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return stringValue(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  // A heredoc's closing marker must be alone on its line, so the comma after it goes on the next.
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[\n${value.map((item) => `${expression(item)}${isHeredoc(item) ? "\n" : ""},`).join("\n")}\n]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? "{}" : `{\n${entries.map(([key, item]) => `${objectKey(key)} = ${expression(item)}`).join("\n")}\n}`;
}

/** A reference written bare (`aws_iam_role.x`), as meta-arguments want it; JSON may wrap it in `${}`. */
function reference(value: unknown): string {
  if (typeof value !== "string") throw new Error(`expected a reference, got ${JSON.stringify(value)}`);
  return value.replace(/^\$\{(.*)\}$/s, "$1");
}

function block(header: string, body: string): string {
  return body ? `${header} {\n${body}\n}` : `${header} {\n}`;
}

/** The body of a resource, data source, provider or nested block at `path`. */
function body(attributes: Record<string, unknown>, path: string, blocks: ReadonlySet<string>, topLevel: boolean): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "//" || value === undefined) continue;
    if (topLevel && (key === "provisioner" || key === "connection")) {
      throw new Error(`${path}: HCL output does not write '${key}' (no stack uses it); add it to modules/hcl.ts first`);
    }
    if (key === "dynamic") {
      for (const [name, spec] of Object.entries(value as Record<string, Record<string, unknown>>)) lines.push(dynamicBlock(name, spec, `${path}.${name}`, blocks));
      continue;
    }
    if (topLevel && REFERENCE_LISTS.has(key)) {
      lines.push(`${key} = [${(value as unknown[]).map(reference).join(", ")}]`);
    } else if (topLevel && key === "provider") {
      lines.push(`provider = ${reference(value)}`);
    } else if (topLevel && key === "lifecycle") {
      lines.push(block("lifecycle", lifecycle(value as Record<string, unknown>)));
    } else if (blocks.has(`${path}.${key}`)) {
      for (const item of Array.isArray(value) ? value : [value]) lines.push(block(key, body(item as Record<string, unknown>, `${path}.${key}`, blocks, false)));
    } else {
      lines.push(`${key} = ${expression(value)}`);
    }
  }
  return lines.join("\n");
}

/**
 * `dynamic "<name>" { for_each, iterator, content { ... } }`: cdktf's JSON keys the spec by the
 * block's name; the iterator is an identifier, written bare.
 */
function dynamicBlock(name: string, spec: Record<string, unknown>, path: string, blocks: ReadonlySet<string>): string {
  const { for_each: forEach, iterator, content, ...rest } = spec;
  if (Object.keys(rest).length > 0) throw new Error(`${path}: dynamic block has unexpected keys '${Object.keys(rest).join("', '")}'`);
  const lines = [`for_each = ${expression(forEach)}`];
  if (iterator !== undefined) lines.push(`iterator = ${reference(iterator)}`);
  lines.push(block("content", body(content as Record<string, unknown>, path, blocks, false)));
  return block(`dynamic "${name}"`, lines.join("\n"));
}

function lifecycle(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .map(([key, value]) => {
      if (key === "ignore_changes" || key === "replace_triggered_by") {
        return value === "all" ? `${key} = all` : `${key} = [${(value as unknown[]).map(reference).join(", ")}]`;
      }
      if (key === "precondition" || key === "postcondition") {
        return (value as Record<string, unknown>[]).map((condition) => block(key, Object.entries(condition).map(([k, v]) => `${k} = ${expression(v)}`).join("\n"))).join("\n");
      }
      return `${key} = ${expression(value)}`;
    })
    .join("\n");
}

function terraformBlock(settings: Record<string, any>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (key === "required_providers") {
      lines.push(block("required_providers", Object.entries<unknown>(value).map(([name, requirement]) => `${name} = ${expression(requirement)}`).join("\n")));
    } else if (key === "backend") {
      for (const [type, config] of Object.entries<Record<string, unknown>>(value)) lines.push(block(`backend "${type}"`, attributesOnly(config)));
    } else if (key === "cloud") {
      const { workspaces, ...rest } = value as Record<string, unknown>;
      const parts = [attributesOnly(rest)];
      if (workspaces) parts.push(block("workspaces", attributesOnly(workspaces as Record<string, unknown>)));
      lines.push(block("cloud", parts.filter(Boolean).join("\n")));
    } else {
      lines.push(`${key} = ${expression(value)}`);
    }
  }
  return block("terraform", lines.join("\n"));
}

function attributesOnly(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} = ${expression(value)}`)
    .join("\n");
}

/** Labelled blocks `<kind> "<type>" "<name>"` (resources, data sources, ephemeral resources). */
function labelled(kind: string, byType: Record<string, Record<string, Record<string, unknown>>>, blocks: ReadonlySet<string>): string[] {
  return Object.entries(byType).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, attributes]) => block(`${kind} "${type}" "${name}"`, body(attributes, `${kind}.${type}`, blocks, true))),
  );
}

/** Top-level keys of Terraform JSON this renderer writes; anything else is an error, never dropped. */
const KNOWN = new Set(["//", "terraform", "provider", "locals", "variable", "data", "ephemeral", "resource", "output", "moved", "import"]);

/**
 * Renders a stack's Terraform JSON (`TerraformStack.toTerraform()`) as HCL that says the same:
 * `blocks` names the keys that are nested blocks ({@link blockPaths}); every other key is an attribute.
 */
export function renderHcl(json: Record<string, any>, blocks: ReadonlySet<string>): string {
  const unknown = Object.keys(json).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) throw new Error(`HCL output does not write top-level '${unknown.join("', '")}'; add it to modules/hcl.ts first`);
  const parts: string[] = [];
  if (json.terraform) parts.push(terraformBlock(json.terraform));
  for (const [name, configs] of Object.entries<Record<string, unknown>[]>(json.provider ?? {})) {
    for (const config of configs) parts.push(block(`provider "${name}"`, body(config, `provider.${name}`, blocks, false)));
  }
  if (json.locals) parts.push(block("locals", attributesOnly(json.locals)));
  for (const [name, settings] of Object.entries<Record<string, unknown>>(json.variable ?? {})) parts.push(block(`variable "${name}"`, attributesOnly(settings)));
  parts.push(...labelled("data", json.data ?? {}, blocks));
  parts.push(...labelled("ephemeral", json.ephemeral ?? {}, blocks));
  parts.push(...labelled("resource", json.resource ?? {}, blocks));
  for (const [name, settings] of Object.entries<Record<string, unknown>>(json.output ?? {})) {
    const { depends_on: dependsOn, ...rest } = settings;
    const dependencies = dependsOn ? `\ndepends_on = [${(dependsOn as unknown[]).map(reference).join(", ")}]` : "";
    parts.push(block(`output "${name}"`, attributesOnly(rest) + dependencies));
  }
  for (const moved of json.moved ?? []) parts.push(block("moved", `from = ${reference(moved.from)}\nto = ${reference(moved.to)}`));
  for (const entry of json.import ?? []) {
    const { to, ...rest } = entry as Record<string, unknown>;
    parts.push(block("import", `to = ${reference(to)}\n${attributesOnly(rest)}`));
  }
  return `${parts.join("\n\n")}\n`;
}
