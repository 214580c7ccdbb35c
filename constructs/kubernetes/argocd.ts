/**
 * Argo CD, bootstrapped with an app-of-apps Application that syncs this cluster's overlay
 * (`<pathPrefix>/<cloud>`) of the GitOps repository, pruning and self-healing.
 *
 * Sign-in: with `platform.argocd.sso`, Argo CD's own OIDC client (Dex off) against the configured
 * issuer, its client secret read from the prerequisite secret `argocd/argocd-oidc`, and the token's
 * groups mapped to Argo CD roles; the local admin is then off in production. Without SSO the local
 * admin stays on and signs in with the password Argo CD generates into `argocd-initial-admin-secret`.
 */
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import type { PlatformConfig } from "../../modules/config/clouds/platform";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";
import { ARGOCD_OIDC_CLIENT_SECRET } from "./prerequisites";
import { stringify } from "yaml";

/** Properties for {@link ArgoCd}. */
export interface ArgoCdProps {
  readonly repoUrl: string;
  readonly revision: string;
  readonly pathPrefix: string;
  /** OIDC sign-in. @default none: the local admin signs in */
  readonly sso?: NonNullable<PlatformConfig["argocd"]["sso"]>;
  /**
   * What the applications' first sync needs: the application namespaces (the stack owns them;
   * Argo CD's CreateNamespace would race it) and istiod (pods created before its injector exists
   * run without a sidecar). @default nothing
   */
  readonly applicationsNeed?: readonly ITerraformDependable[];
}

export const ARGOCD_NAMESPACE = "argocd";

export class ArgoCd extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ArgoCdProps) {
    super(scope, id);
    const sso = props.sso;
    const secret = ARGOCD_OIDC_CLIENT_SECRET;
    const ssoConfig = sso
      ? {
          // `$<secret>:<key>` makes Argo CD read the value from a Secret labelled part-of=argocd.
          "oidc.config": stringify({
            name: sso.name,
            issuer: sso.issuer,
            clientID: sso.clientId,
            clientSecret: `$${secret.name}:${secret.key}`,
            requestedScopes: ["openid", "profile", "email", "groups"],
            requestedIDTokenClaims: { groups: { essential: true } },
          }),
        }
      : {};
    const policy = sso ? [...sso.adminGroups.map((g) => `g, ${g}, role:admin`), ...sso.readOnlyGroups.map((g) => `g, ${g}, role:readonly`)] : [];
    const argocd = new PinnedChart(this, "chart", {
      source: CHARTS.argocd,
      releaseName: "argocd",
      namespace: ARGOCD_NAMESPACE,
      provider: ctx.helm,
      values: {
        global: { domain: `argocd.${ctx.cloud}.${ctx.env.domain}` },
        configs: {
          params: { "server.insecure": false },
          cm: { "admin.enabled": !(sso && ctx.production), "exec.enabled": false, ...ssoConfig },
          // Signed-in users without a mapped group get no access.
          rbac: { "policy.default": "", "policy.csv": policy.join("\n"), scopes: "[groups]" },
        },
        // Argo CD's own OIDC client talks to the issuer; Dex would only be a second hop.
        dex: { enabled: false },
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
      namespace: ARGOCD_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [argocd.release, ...(props.applicationsNeed ?? [])],
      values: {
        applications: {
          [`${ctx.env.name}-${ctx.cloud}`]: {
            namespace: ARGOCD_NAMESPACE,
            project: "default",
            source: { repoURL: props.repoUrl, targetRevision: props.revision, path: `${props.pathPrefix}/${ctx.cloud}` },
            destination: { server: "https://kubernetes.default.svc", namespace: ARGOCD_NAMESPACE },
            syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
          },
        },
      },
    });
  }
}
