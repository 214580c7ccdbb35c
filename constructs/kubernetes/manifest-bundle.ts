/**
 * Plain Kubernetes manifests (custom resources such as ClusterIssuers, Gatekeeper constraints,
 * Istio Gateways, Argo CD Applications) installed as one Helm release of the pinned `raw` chart.
 * Unlike `kubernetes_manifest`, a release does not need the CRDs to exist at plan time, so a CRD's
 * chart and its custom resources install in the same deploy.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";

/** Properties for {@link ManifestBundle}. */
export interface ManifestBundleProps {
  readonly releaseName: string;
  readonly namespace: string;
  readonly manifests: readonly Record<string, unknown>[];
  readonly provider: TerraformProvider;
  /** Releases whose CRDs or controllers the manifests need. */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class ManifestBundle extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: ManifestBundleProps) {
    super(scope, id);
    for (const manifest of props.manifests) {
      if (typeof manifest.apiVersion !== "string" || typeof manifest.kind !== "string") {
        throw new Error(`ManifestBundle '${props.releaseName}': every manifest needs apiVersion and kind`);
      }
    }
    this.release = new PinnedChart(this, "bundle", {
      source: CHARTS.raw,
      releaseName: props.releaseName,
      namespace: props.namespace,
      createNamespace: false,
      values: { resources: props.manifests },
      provider: props.provider,
      dependsOn: props.dependsOn,
    }).release;
  }
}
