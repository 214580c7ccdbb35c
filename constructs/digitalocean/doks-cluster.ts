/**
 * A DOKS cluster in a VPC: the newest patch of a Kubernetes minor version, HA control plane where
 * asked, automatic patch upgrades with surge upgrades in a maintenance window, a control-plane
 * firewall (the VPC plus an allowlist, never the whole internet), and one autoscaling node pool.
 */
import { Fn } from "cdktf";
import { DataDigitaloceanKubernetesVersions } from "@cdktf/provider-digitalocean/lib/data-digitalocean-kubernetes-versions";
import { KubernetesCluster } from "@cdktf/provider-digitalocean/lib/kubernetes-cluster";
import { Construct } from "constructs";

/** Properties for {@link DoksCluster}. */
export interface DoksClusterProps {
  readonly name: string;
  readonly region: string;
  readonly vpcId: string;
  /** The VPC's range, always admitted by the control-plane firewall. */
  readonly vpcCidr: string;
  /** Kubernetes minor version such as `1.33`. @default the newest DOKS offers */
  readonly kubernetesVersion?: string;
  readonly ha: boolean;
  readonly nodeSize: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Networks besides the VPC that may reach the API server. */
  readonly apiAllowlist: readonly string[];
  readonly registryIntegration: boolean;
  readonly maintenanceDay: string;
  /** HH:MM, UTC. */
  readonly maintenanceStartTime: string;
}

export class DoksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  /** Base64 PEM of the API server's CA (public, so not marked sensitive). */
  readonly caCertificate: string;

  constructor(scope: Construct, id: string, props: DoksClusterProps) {
    super(scope, id);
    for (const cidr of props.apiAllowlist) {
      if (cidr.endsWith("/0")) throw new Error(`DoksCluster '${props.name}': the API allowlist must not contain ${cidr}`);
    }
    if (props.minNodes < 1 || props.minNodes > props.maxNodes) {
      throw new Error(`DoksCluster '${props.name}': node bounds ${props.minNodes}..${props.maxNodes} are invalid`);
    }
    const versions = new DataDigitaloceanKubernetesVersions(this, "versions", {
      versionPrefix: props.kubernetesVersion ? `${props.kubernetesVersion}.` : undefined,
    });
    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      region: props.region,
      version: versions.latestVersion,
      vpcUuid: props.vpcId,
      ha: props.ha,
      autoUpgrade: true,
      surgeUpgrade: true,
      maintenancePolicy: { day: props.maintenanceDay, startTime: props.maintenanceStartTime },
      controlPlaneFirewall: { enabled: true, allowedAddresses: [props.vpcCidr, ...props.apiAllowlist] },
      registryIntegration: props.registryIntegration,
      // The kubeconfig this resource keeps in state expires after an hour; the platform stacks
      // authenticate with `doctl` exec credentials instead.
      kubeconfigExpireSeconds: 3600,
      destroyAllAssociatedResources: false,
      nodePool: {
        name: "default",
        size: props.nodeSize,
        autoScale: true,
        minNodes: props.minNodes,
        maxNodes: props.maxNodes,
        labels: { "addtocloud.tech/pool": "default" },
      },
      // With a configured minor, the version is that minor's newest patch (what DOKS's own patch
      // upgrades move to), and a new minor in config reaches the plan. Without one, the cluster
      // keeps the version it was created with and DOKS patches it.
      lifecycle: props.kubernetesVersion ? undefined : { ignoreChanges: ["version"] },
    });
    // kube_config is sensitive as a whole because it also holds a token; the CA certificate in it
    // is public (every client of the API server receives it).
    this.caCertificate = Fn.nonsensitive(this.cluster.kubeConfig.get(0).clusterCaCertificate);
  }
}
