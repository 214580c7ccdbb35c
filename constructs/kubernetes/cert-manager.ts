/**
 * cert-manager with its CRDs, and a ClusterIssuer for public certificates from Let's Encrypt,
 * solving HTTP-01 challenges through the Istio ingress gateway.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export const PUBLIC_CLUSTER_ISSUER = "letsencrypt-production";

/** Properties for {@link CertManager}. */
export interface CertManagerProps {
  /** ACME account contact. @default no contact address */
  readonly acmeEmail?: string;
}

export class CertManager extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: CertManagerProps = {}) {
    super(scope, id);
    this.release = new PinnedChart(this, "chart", {
      source: CHARTS.certManager,
      namespace: "cert-manager",
      provider: ctx.helm,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: ctx.production ? 2 : 1,
        webhook: { replicaCount: ctx.production ? 2 : 1 },
        podDisruptionBudget: { enabled: ctx.production },
        prometheus: { enabled: true },
      },
    }).release;
    new ManifestBundle(this, "issuer", {
      releaseName: "cluster-issuers",
      namespace: "cert-manager",
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
              solvers: [{ http01: { ingress: { ingressClassName: "istio" } } }],
            },
          },
        },
      ],
    });
  }
}
