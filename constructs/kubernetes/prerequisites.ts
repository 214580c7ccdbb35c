/**
 * Secrets the platform add-ons read but no stack creates, because their values must never pass
 * through Terraform (synthesized files, plans, state). An operator creates each one in the cluster;
 * docs/platform-addons.md lists them from this table (a test keeps the two in sync), and a test
 * checks that every secret a chart value names is created by a stack or is listed here.
 */
import type { AddonName, PlatformConfig } from "../../modules/config/clouds/platform";

/** A Kubernetes Secret an operator creates before (or right after) the platform stack's first deploy. */
export interface PrerequisiteSecret {
  readonly name: string;
  readonly namespace: string;
  /** The key the add-on reads. */
  readonly key: string;
  /** The add-on that reads it. */
  readonly addon: AddonName;
  /** Labels the reader requires on the Secret. */
  readonly labels?: Readonly<Record<string, string>>;
  /** What the value is, with its exact scope where it is a credential. */
  readonly value: string;
  /** What happens while it is missing. */
  readonly whileMissing: string;
  /** Whether the config makes the add-on read it. @default always, when the add-on is on */
  readonly needed?: (platform: PlatformConfig) => boolean;
}

export const CLOUDFLARE_DNS01_TOKEN: PrerequisiteSecret = {
  name: "cloudflare-api-token",
  namespace: "cert-manager",
  key: "api-token",
  addon: "cert-manager",
  value:
    "A Cloudflare API token with the permissions Zone → DNS → Edit and Zone → Zone → Read, and Zone Resources: Include → Specific zone → the zone that holds the environment's domain (`cloudflare.parentZone` when set, else `domain`); nothing else",
  whileMissing: "the `letsencrypt-production` ClusterIssuer is not ready and no public certificate is issued or renewed",
};

export const ARGOCD_OIDC_CLIENT_SECRET: PrerequisiteSecret = {
  name: "argocd-oidc",
  namespace: "argocd",
  key: "client-secret",
  addon: "argocd",
  labels: { "app.kubernetes.io/part-of": "argocd" },
  value: "The client secret of the OIDC application `platform.argocd.sso.clientId` at `platform.argocd.sso.issuer`",
  whileMissing: "SSO sign-in to Argo CD fails (the local admin is off in production when SSO is configured)",
  needed: (platform) => platform.argocd?.sso !== undefined,
};

export const ISTIO_INTERMEDIATE_CA: PrerequisiteSecret = {
  name: "cacerts",
  namespace: "istio-system",
  key: "ca-cert.pem",
  addon: "istio",
  value: "This cluster's intermediate CA (`ca-cert.pem`, `ca-key.pem`, `cert-chain.pem`, `root-cert.pem`), signed by the mesh's offline root (README, \"Mesh root of trust\")",
  whileMissing: "istiod signs with a self-signed root of its own, so workloads of different clusters do not trust each other; create it, then restart istiod",
};

/** Every prerequisite secret, in the order the docs list them. */
export const PREREQUISITE_SECRETS: readonly PrerequisiteSecret[] = [CLOUDFLARE_DNS01_TOKEN, ARGOCD_OIDC_CLIENT_SECRET, ISTIO_INTERMEDIATE_CA];

/** The Markdown table docs/platform-addons.md carries between its `prerequisites-table` markers. */
export function prerequisitesTable(): string {
  const rows = PREREQUISITE_SECRETS.map((s) => {
    const labels = s.labels ? Object.entries(s.labels).map(([k, v]) => `\`${k}=${v}\``).join(", ") : "-";
    return `| \`${s.namespace}/${s.name}\` | \`${s.key}\` | ${labels} | \`${s.addon}\` | ${s.value} | ${s.whileMissing} |`;
  });
  return ["| secret | key | labels | read by | value | while it is missing |", "|---|---|---|---|---|---|", ...rows].join("\n");
}
