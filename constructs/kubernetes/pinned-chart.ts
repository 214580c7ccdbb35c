/**
 * A Helm release with a pinned chart version and repository, its own namespace, and typed values
 * rendered with a YAML library (never string templates). Every add-on of the catalogue uses it.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";

/** A chart pinned to one version of one repository. */
export interface ChartSource {
  /** Chart name in the repository, e.g. `cert-manager`. */
  readonly chart: string;
  /** HTTPS (or oci://) repository URL. */
  readonly repository: string;
  /** Exact chart version: no ranges, no `latest`. */
  readonly version: string;
}

/** Properties for {@link PinnedChart}. */
export interface PinnedChartProps {
  readonly source: ChartSource;
  /** Release name. @default the chart name */
  readonly releaseName?: string;
  readonly namespace: string;
  /** Create the namespace with the release. @default true */
  readonly createNamespace?: boolean;
  /** Chart values, rendered to YAML. */
  readonly values?: Record<string, unknown>;
  /** The helm provider of the target cluster. */
  readonly provider: TerraformProvider;
  /** What must exist first: releases with CRDs or webhooks, namespaces. */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Seconds Helm waits for resources to become ready. @default 600 */
  readonly timeoutSeconds?: number;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export class PinnedChart extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: PinnedChartProps) {
    super(scope, id);
    const { source } = props;
    if (!EXACT_VERSION.test(source.version)) {
      throw new Error(`chart '${source.chart}': 'version' (${source.version}) must be an exact version such as 1.2.3`);
    }
    if (!/^(https:\/\/|oci:\/\/)/.test(source.repository)) {
      throw new Error(`chart '${source.chart}': 'repository' (${source.repository}) must be an https:// or oci:// URL`);
    }
    this.namespace = props.namespace;
    this.release = new Release(this, "release", {
      provider: props.provider,
      name: props.releaseName ?? source.chart,
      chart: source.chart,
      repository: source.repository,
      version: source.version,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? true,
      // No anchors or aliases: a value object used twice is written out twice, as a reviewer reads it.
      values: props.values ? [stringify(props.values, { sortMapEntries: true, aliasDuplicateObjects: false })] : undefined,
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.timeoutSeconds ?? 600,
      maxHistory: 10,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
