/**
 * Names: stack ids and resource names, derived once so every stack and every reader agrees.
 */
import { createHash } from "node:crypto";
import type { CloudName, EnvironmentConfig } from "./config/environment";

export const LAYERS = ["bootstrap", "network", "cluster", "data", "platform", "edge", "messaging", "gateway"] as const;
/**
 * A layer of a cloud, or on the `interconnect` pseudo-cloud the pair a link stack joins
 * (`aws-gcp`, giving `<env>-interconnect-aws-gcp`).
 */
export type Layer = (typeof LAYERS)[number] | `${"aws" | "gcp" | "azure"}-${"aws" | "gcp" | "azure"}`;

/** `<env>-<cloud>-<layer>`, e.g. `production-aws-network`. */
export function stackId(env: Pick<EnvironmentConfig, "name">, cloud: CloudName, layer: Layer): string {
  return `${env.name}-${cloud}-${layer}`;
}

/**
 * `<project>-<env>-<parts...>`, lowercase and hyphenated. When longer than `maxLength`, the tail is
 * replaced by a short hash so names stay unique and stable.
 */
export function resourceName(env: Pick<EnvironmentConfig, "name" | "project">, parts: readonly string[], maxLength = 63): string {
  const name = [env.project, env.name, ...parts].join("-").toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return fitLength(name, maxLength, "-");
}

/**
 * Letters and digits only (Azure storage accounts, Key Vault-like names): `<project><env><parts>`.
 */
export function compactName(env: Pick<EnvironmentConfig, "name" | "project">, parts: readonly string[], maxLength = 24): string {
  const name = [env.project, env.name, ...parts].join("").toLowerCase().replace(/[^a-z0-9]/g, "");
  return fitLength(name, maxLength, "");
}

function fitLength(name: string, maxLength: number, separator: string): string {
  if (name.length <= maxLength) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 6);
  return `${name.slice(0, maxLength - hash.length - separator.length).replace(/-+$/, "")}${separator}${hash}`;
}

/** The mesh's name for a cluster (Istio's cluster name, Prometheus' `cluster` label): distinct per environment and cloud. */
export function meshClusterName(env: Pick<EnvironmentConfig, "name">, cloud: string): string {
  return `${env.name}-${cloud}`;
}
