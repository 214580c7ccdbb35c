/** Platform add-ons installed on every cluster (the `<env>-<cloud>-platform` stacks). */
import { z } from "zod";
import { Email } from "../primitives";

/** Every add-on of the catalogue, with whether it is on unless config says otherwise. */
export const ADDON_DEFAULTS = {
  "cert-manager": true,
  istio: true,
  "api-gateway": false,
  consul: false,
  argocd: true,
  monitoring: true,
  tracing: true,
  logging: true,
  vault: true,
  falco: true,
  gatekeeper: true,
  autoscaling: true,
  /** The AWS Load Balancer Controller (EKS only): NLBs for the gateways with IP targets. */
  "aws-load-balancer-controller": true,
  "network-policies": true,
  rbac: true,
} as const;
export type AddonName = keyof typeof ADDON_DEFAULTS;
export const ADDON_NAMES = Object.keys(ADDON_DEFAULTS) as AddonName[];

/** On/off switches, by add-on name. */
const AddonSwitches = z.partialRecord(z.enum(ADDON_NAMES as [AddonName, ...AddonName[]]), z.boolean());

const GroupList = z.array(z.string().min(1)).default([]);

export const PlatformConfig = z
  .object({
    enabled: z.boolean().default(true),
    /** Add-ons switched on or off for every cluster of the environment. */
    addons: AddonSwitches.default({}),
    /** Per-cloud switches, applied over `addons`. */
    cloudAddons: z
      .object({ aws: AddonSwitches.optional(), gcp: AddonSwitches.optional(), azure: AddonSwitches.optional(), digitalocean: AddonSwitches.optional() })
      .strict()
      .default({}),
    /** The cluster that hosts the central metrics, logs and traces. @default the primary (first enabled) cloud */
    hubCloud: z.enum(["aws", "gcp", "azure", "digitalocean"]).optional(),
    mesh: z
      .object({
        /** One mesh id across every cluster. */
        meshId: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/).default("addtocloud-mesh"),
        /** SPIFFE trust domain shared by every cluster. @default the environment's domain */
        trustDomain: z.string().optional(),
      })
      .strict()
      .prefault({}),
    gitops: z
      .object({
        /** @default this repository, whose k8s/ tree (base + overlays per cloud) the clusters sync */
        repoUrl: z.string().regex(/^(https:\/\/|git@)/, { message: "must be an https:// or git@ repository URL" }).default("https://github.com/addtocloud/platform.git"),
        revision: z.string().min(1).default("main"),
        /** Each cluster syncs `<pathPrefix>/<cloud>`. */
        pathPrefix: z.string().default("k8s/overlays"),
      })
      .strict()
      .prefault({}),
    argocd: z
      .object({
        /**
         * Sign-in to Argo CD through an OIDC provider (Entra ID, Google, Okta, Dex elsewhere...).
         * The client secret is the prerequisite secret `argocd/argocd-oidc` (docs/platform-addons.md).
         * When set, the local admin is off in production. @default no SSO: the local admin signs in
         * with the password Argo CD generates into `argocd/argocd-initial-admin-secret`
         */
        sso: z
          .object({
            /** Name on the sign-in button. */
            name: z.string().min(1).default("SSO"),
            issuer: z.string().regex(/^https:\/\/[^\s]+$/, { message: "must be an https:// OIDC issuer URL" }),
            clientId: z.string().min(1),
            /** Values of the token's `groups` claim granted Argo CD's `role:admin`. */
            adminGroups: GroupList,
            /** Values of the token's `groups` claim granted `role:readonly`. */
            readOnlyGroups: GroupList,
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /** Contact of the ACME account behind the public ClusterIssuer. */
    acmeEmail: Email.optional(),
    /** Namespaces the applications run in: default-deny network policies and sidecar injection. */
    applicationNamespaces: z.array(z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)).default(["addtocloud"]),
    /** Registries images may come from (Gatekeeper allowed-repos constraint). */
    allowedRegistries: z.array(z.string().min(3)).min(1).default(["ghcr.io/addtocloud/", "docker.io/library/", "registry.k8s.io/", "quay.io/"]),
    /** Identity groups bound to the platform's ClusterRoles. */
    rbac: z.object({ readOnlyGroups: GroupList, developerGroups: GroupList, adminGroups: GroupList }).strict().prefault({}),
    /** Prometheus retention. @default 30d in production, 7d elsewhere */
    metricsRetention: z.string().regex(/^\d+[dh]$/, { message: "must be a duration such as 30d" }).optional(),
  })
  .strict();
export type PlatformConfig = z.infer<typeof PlatformConfig>;

/** Whether `addon` is on for `cloud`: per-cloud switch, else environment switch, else the default. */
export function addonEnabled(platform: PlatformConfig, cloud: "aws" | "gcp" | "azure" | "digitalocean", addon: AddonName): boolean {
  return platform.cloudAddons[cloud]?.[addon] ?? platform.addons[addon] ?? ADDON_DEFAULTS[addon];
}
