/**
 * The standard tag/label set, applied by an aspect to every taggable resource of every cloud.
 */
import { IAspect, TerraformResource } from "cdktf";
import { IConstruct } from "constructs";
import type { EnvironmentConfig } from "./config/environment";

/** The standard tags of an environment, keyed as every cloud accepts them. */
export function standardTags(env: EnvironmentConfig): Record<string, string> {
  return {
    environment: env.name,
    project: env.project,
    owner: env.owner,
    "cost-center": env.costCenter,
    "managed-by": "cdktf",
  };
}

/** GCP labels: lowercase letters, digits, '_' and '-', at most 63 characters, keys start with a letter. */
export function gcpLabels(tags: Record<string, string>): Record<string, string> {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [clean(k), clean(v)]));
}

/** DigitalOcean tags are plain strings: `key:value`, letters, digits, ':', '-', '_'. */
export function digitalOceanTags(tags: Record<string, string>): string[] {
  return Object.entries(tags).map(([k, v]) => `${k}:${v}`.replace(/[^A-Za-z0-9:_-]/g, "-"));
}

type Taggable = TerraformResource & Record<string, unknown>;

/**
 * Merges the standard set into each resource's own tags (resource tags win on conflict), in the
 * form its cloud wants: `tags` maps on AWS and Azure, lowercase `labels` (and `resource_labels` on
 * GKE clusters) on GCP, `key:value` strings on DigitalOcean. Cloudflare resources take no tags.
 *
 * Generated provider classes expose each argument as a setter plus an `<name>Input` getter with the
 * value set so far; the aspect reads that and writes back the merge. It is idempotent, so synthesizing
 * a stack twice (tests do) does not duplicate anything.
 */
export class StandardTagsAspect implements IAspect {
  private readonly tags: Record<string, string>;
  constructor(env: EnvironmentConfig) {
    this.tags = standardTags(env);
  }

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const resource = node as Taggable;
    const type = resource.terraformResourceType;
    if (type.startsWith("aws_") || type.startsWith("azurerm_")) {
      this.mergeMap(resource, "tags", this.tags);
    } else if (type.startsWith("google_")) {
      const labels = gcpLabels(this.tags);
      this.mergeMap(resource, "labels", labels);
      if (type === "google_container_cluster") this.mergeMap(resource, "resourceLabels", labels);
    } else if (type.startsWith("digitalocean_") && "tagsInput" in resource) {
      const existing = (resource.tagsInput as string[] | undefined) ?? [];
      if (!Array.isArray(existing)) return;
      const merged = [...existing];
      for (const tag of digitalOceanTags(this.tags)) if (!merged.includes(tag)) merged.push(tag);
      resource.tags = merged;
    }
  }

  private mergeMap(resource: Taggable, attribute: string, standard: Record<string, string>): void {
    if (!(`${attribute}Input` in resource)) return;
    const existing = resource[`${attribute}Input`];
    if (existing !== undefined && (typeof existing !== "object" || existing === null || Array.isArray(existing))) return;
    resource[attribute] = { ...standard, ...(existing as Record<string, string> | undefined) };
  }
}
