/**
 * Schema building blocks shared by every cloud's config section.
 * Cloud-agnostic: no provider imports here.
 */
import { Netmask } from "netmask";
import { z } from "zod";

/** True when `value` is an IPv4 CIDR block whose address is the network address. */
export function isNetworkCidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return false;
  if (match.slice(1, 5).some((octet) => Number(octet) > 255) || Number(match[5]) > 32) return false;
  try {
    return new Netmask(value).base === value.split("/")[0];
  } catch {
    return false;
  }
}

/** An IPv4 CIDR block such as `10.10.0.0/16`, written with its network address. */
export const Cidr = z
  .string()
  .refine(isNetworkCidr, { message: "must be an IPv4 CIDR block written with its network address, such as 10.0.0.0/16" });

/**
 * A CIDR block for a whole VPC/VNet: room for public, private and database subnets over three zones.
 * @param minPrefix the largest block accepted (smallest prefix length)
 * @param maxPrefix the smallest block accepted
 */
export function networkCidr(minPrefix = 8, maxPrefix = 20) {
  return Cidr.refine((value) => {
    const bits = Number(value.split("/")[1]);
    return bits >= minPrefix && bits <= maxPrefix;
  }, { message: `must have a prefix length between /${minPrefix} and /${maxPrefix}` });
}

/** A CIDR allowed to reach a control plane: never the whole internet. */
export const AllowlistCidr = Cidr.refine((value) => !value.endsWith("/0"), {
  message: "must not open the endpoint to the whole internet (0.0.0.0/0); list the networks that need access",
});

/** Autoscaling bounds, checked `min <= desired <= max`. */
export const Autoscaling = z
  .object({
    min: z.number().int().min(0),
    desired: z.number().int().min(0),
    max: z.number().int().min(1).max(1000),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.min > value.desired) {
      ctx.addIssue({ code: "custom", path: ["min"], message: `min (${value.min}) must not exceed desired (${value.desired})` });
    }
    if (value.desired > value.max) {
      ctx.addIssue({ code: "custom", path: ["desired"], message: `desired (${value.desired}) must not exceed max (${value.max})` });
    }
  });
export type Autoscaling = z.infer<typeof Autoscaling>;

/** Bounds of a pool that must never be empty (it runs the cluster's own system pods). */
export const NonEmptyPoolScaling = Autoscaling.refine((value) => value.min >= 1, {
  path: ["min"],
  message: "must be at least 1: this pool runs the cluster's system pods",
});

/**
 * Which copy of the platform's data a cloud holds (the seed: primary on AWS, replica on GCP, backup
 * on Azure). `standalone`: the cloud's databases serve its own cluster and copy nothing (a cloud
 * without a private link to the primary, or the old primary after a promotion).
 */
export const DataRole = z.enum(["primary", "replica", "backup", "standalone"]);
export type DataRole = z.infer<typeof DataRole>;

/** A DNS domain such as `addtocloud.tech` or `staging.addtocloud.tech`. */
export const Domain = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: "must be a lowercase DNS domain such as addtocloud.tech",
  });

/** A name used inside resource names: lowercase, starts with a letter, short enough for every cloud. */
export const ResourceNamePart = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,14}[a-z0-9]$/, {
    message: "must be 3-16 characters of lowercase letters, digits and '-', start with a letter and not end with '-'",
  });

/** A Kubernetes minor version such as `1.33`. */
export const KubernetesVersion = z.string().regex(/^1\.\d{2}$/, { message: "must be a Kubernetes minor version such as 1.33" });

/** An email address (certificate registration, owners). */
export const Email = z.string().email({ message: "must be an email address" });

/** Days in a log/backup retention window. */
export const RetentionDays = z.number().int().min(1).max(3653);
