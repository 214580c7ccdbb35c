/**
 * cert-manager with its CRDs, and a ClusterIssuer for public certificates from Let's Encrypt that
 * solves DNS-01 challenges in the environment's Cloudflare zone. DNS-01 works for every cluster
 * behind the edge alike: an HTTP-01 challenge would reach only the cluster the failover load
 * balancer picks (and always-HTTPS redirects it), so the other clusters could never renew.
 *
 * The Cloudflare API token is a prerequisite secret (see `prerequisites.ts`): created by an operator,
 * never by Terraform, so its value is in no synthesized file and no state.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";
import { CLOUDFLARE_DNS01_TOKEN } from "./prerequisites";

export const PUBLIC_CLUSTER_ISSUER = "letsencrypt-production";
export const CERT_MANAGER_NAMESPACE = "cert-manager";

/** Properties for {@link CertManager}. */
export interface CertManagerProps {
  /** ACME account contact. @default no contact address */
  readonly acmeEmail?: string;
  /**
   * The Cloudflare zone that holds the environment's names (the parent zone for an environment
   * inside another's). @default no public ClusterIssuer: the environment's zone is not on Cloudflare
   */
  readonly dnsZone?: string;
}

export class CertManager extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: CertManagerProps = {}) {
    super(scope, id);
    this.release = new PinnedChart(this, "chart", {
      source: CHARTS.certManager,
      namespace: CERT_MANAGER_NAMESPACE,
      provider: ctx.helm,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: ctx.production ? 2 : 1,
        webhook: { replicaCount: ctx.production ? 2 : 1 },
        podDisruptionBudget: { enabled: ctx.production },
        prometheus: { enabled: true },
      },
    }).release;
    if (!props.dnsZone) return;
    new ManifestBundle(this, "issuer", {
      releaseName: "cluster-issuers",
      namespace: CERT_MANAGER_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [this.release],
      manifests: [
        {
          apiVersion: "cert-manager.io/v1",
          kind: "ClusterIssuer",
          metadata: { name: PUBLIC_CLUSTER_ISSUER },
          spec: {
            acme: {
              server: "https://acme-v02.api.letsencrypt.org/directory",
              ...(props.acmeEmail ? { email: props.acmeEmail } : {}),
              privateKeySecretRef: { name: `${PUBLIC_CLUSTER_ISSUER}-account` },
              solvers: [
                {
                  // A ClusterIssuer reads its secrets from cert-manager's cluster resource namespace (its own).
                  dns01: { cloudflare: { apiTokenSecretRef: { name: CLOUDFLARE_DNS01_TOKEN.name, key: CLOUDFLARE_DNS01_TOKEN.key } } },
                  selector: { dnsZones: [props.dnsZone] },
                },
              ],
            },
          },
        },
      ],
    });
  }
}
