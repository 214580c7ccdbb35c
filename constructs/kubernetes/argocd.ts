/**
 * Argo CD, bootstrapped with an app-of-apps Application that syncs this cluster's overlay
 * (`<pathPrefix>/<cloud>`) of the GitOps repository, pruning and self-healing.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

/** Properties for {@link ArgoCd}. */
export interface ArgoCdProps {
  readonly repoUrl: string;
  readonly revision: string;
  readonly pathPrefix: string;
}

export class ArgoCd extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ArgoCdProps) {
    super(scope, id);
    const argocd = new PinnedChart(this, "chart", {
      source: CHARTS.argocd,
      releaseName: "argocd",
      namespace: "argocd",
      provider: ctx.helm,
      values: {
        global: { domain: `argocd.${ctx.cloud}.${ctx.env.domain}` },
        configs: { params: { "server.insecure": false }, cm: { "admin.enabled": false, "exec.enabled": false } },
        "redis-ha": { enabled: ctx.production },
        controller: { replicas: 1 },
        server: { replicas: ctx.production ? 2 : 1 },
        repoServer: { replicas: ctx.production ? 2 : 1 },
        applicationSet: { replicas: ctx.production ? 2 : 1 },
      },
    });
    new PinnedChart(this, "app-of-apps", {
      source: CHARTS.argocdApps,
      releaseName: "app-of-apps",
      namespace: "argocd",
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [argocd.release],
      values: {
        applications: {
          [`${ctx.env.name}-${ctx.cloud}`]: {
            namespace: "argocd",
            project: "default",
            source: { repoURL: props.repoUrl, targetRevision: props.revision, path: `${props.pathPrefix}/${ctx.cloud}` },
            destination: { server: "https://kubernetes.default.svc", namespace: "argocd" },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
          },
        },
      },
    });
  }
}
