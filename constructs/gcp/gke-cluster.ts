/**
 * A regional, private GKE cluster: private nodes, a private endpoint (or master authorized networks
 * from config, never 0.0.0.0/0), a release channel, workload identity with the GKE metadata server,
 * shielded nodes with secure boot and integrity monitoring, Dataplane V2 (network policy
 * enforcement), secrets encrypted with Cloud KMS, system/workload/control-plane logs and managed
 * Prometheus, no default node pool, and autoscaled node pools (standard and spot) on a dedicated
 * least-privilege service account.
 */
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";

/** What the node service account may do: write logs and metrics, read images. Nothing else. */
export const NODE_SERVICE_ACCOUNT_ROLES = [
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
  "roles/autoscaling.metricsWriter",
  "roles/artifactregistry.reader",
] as const;

/** One autoscaled node pool. Sizes are per zone (GKE's unit for regional pools). */
export interface GkeNodePoolSpec {
  readonly name: string;
  readonly machineType: string;
  readonly spot: boolean;
  readonly minNodes: number;
  readonly initialNodes: number;
  readonly maxNodes: number;
  readonly diskSizeGb: number;
}

/** Properties for {@link GkeCluster}. */
export interface GkeClusterProps {
  readonly clusterName: string;
  readonly projectId: string;
  readonly region: string;
  readonly networkId: string;
  readonly subnetId: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  readonly masterCidr: string;
  /**
   * Networks that may reach the control plane. Empty keeps the endpoint private.
   * @default []
   */
  readonly masterAuthorizedCidrs?: readonly string[];
  readonly releaseChannel: "RAPID" | "REGULAR" | "STABLE";
  /** @default the release channel's default */
  readonly kubernetesVersion?: string;
  /** Cloud KMS key for application-layer secrets encryption and node boot disks. */
  readonly kmsKeyId: string;
  readonly nodePools: readonly GkeNodePoolSpec[];
  /** @default false */
  readonly deletionProtection?: boolean;
}

export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  readonly workloadPool: string;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const authorized = [...(props.masterAuthorizedCidrs ?? [])];
    if (authorized.some((cidr) => cidr.endsWith("/0"))) {
      throw new Error(`GkeCluster '${props.clusterName}': 'masterAuthorizedCidrs' must not contain a /0 network (${authorized.join(", ")})`);
    }
    this.workloadPool = `${props.projectId}.svc.id.goog`;

    this.nodeServiceAccount = new ServiceAccount(this, "node-sa", {
      accountId: `${props.clusterName}-nodes`.slice(0, 30).replace(/-+$/, ""),
      displayName: `Nodes of ${props.clusterName}`,
      description: "Least-privilege node identity: logs, metrics, image pulls",
    });
    for (const role of NODE_SERVICE_ACCOUNT_ROLES) {
      new ProjectIamMember(this, `node-sa-${role.split("/")[1]}`, {
        project: props.projectId,
        role,
        member: this.nodeServiceAccount.member,
      });
    }

    const shielded = { enableSecureBoot: true, enableIntegrityMonitoring: true };
    this.cluster = new ContainerCluster(this, "cluster", {
      name: props.clusterName,
      location: props.region,
      network: props.networkId,
      subnetwork: props.subnetId,
      // The default pool is removed right after creation; its config still follows the hardening.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: {
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        shieldedInstanceConfig: shielded,
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        metadata: { "disable-legacy-endpoints": "true" },
        bootDiskKmsKey: props.kmsKeyId,
      },
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: props.podsRangeName, servicesSecondaryRangeName: props.servicesRangeName },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: authorized.length === 0,
        masterIpv4CidrBlock: props.masterCidr,
        masterGlobalAccessConfig: { enabled: false },
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: authorized.map((cidr) => ({ cidrBlock: cidr, displayName: `allowlist ${cidr}` })),
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      releaseChannel: { channel: props.releaseChannel },
      minMasterVersion: props.kubernetesVersion,
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      enableShieldedNodes: true,
      // Dataplane V2 (eBPF) enforces NetworkPolicy without the Calico add-on.
      datapathProvider: "ADVANCED_DATAPATH",
      enableIntranodeVisibility: true,
      // The platform's VPA on GKE is the built-in one.
      verticalPodAutoscaling: { enabled: true },
      databaseEncryption: { state: "ENCRYPTED", keyName: props.kmsKeyId },
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"] },
      monitoringConfig: {
        enableComponents: ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"],
        managedPrometheus: { enabled: true },
      },
      securityPostureConfig: { mode: "BASIC", vulnerabilityMode: "VULNERABILITY_BASIC" },
      binaryAuthorization: { evaluationMode: "PROJECT_SINGLETON_POLICY_ENFORCE" },
      maintenancePolicy: { recurringWindow: { startTime: "2025-01-05T03:00:00Z", endTime: "2025-01-05T07:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" } },
      deletionProtection: props.deletionProtection ?? false,
      lifecycle: { ignoreChanges: ["node_config"] },
    });

    for (const pool of props.nodePools) {
      if (pool.minNodes > pool.initialNodes || pool.initialNodes > pool.maxNodes) {
        throw new Error(`GkeCluster '${props.clusterName}': node pool '${pool.name}' needs minNodes <= initialNodes <= maxNodes (${pool.minNodes}, ${pool.initialNodes}, ${pool.maxNodes})`);
      }
      new ContainerNodePool(this, `${pool.name}-pool`, {
        name: pool.name,
        cluster: this.cluster.id,
        location: props.region,
        initialNodeCount: pool.initialNodes,
        autoscaling: { minNodeCount: pool.minNodes, maxNodeCount: pool.maxNodes },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          machineType: pool.machineType,
          spot: pool.spot,
          diskSizeGb: pool.diskSizeGb,
          diskType: "pd-balanced",
          imageType: "COS_CONTAINERD",
          bootDiskKmsKey: props.kmsKeyId,
          serviceAccount: this.nodeServiceAccount.email,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          shieldedInstanceConfig: shielded,
          workloadMetadataConfig: { mode: "GKE_METADATA" },
          metadata: { "disable-legacy-endpoints": "true" },
          labels: { "addtocloud.tech/capacity": pool.spot ? "spot" : "standard" },
        },
        // The cluster autoscaler owns the node count once the pool exists.
        lifecycle: { ignoreChanges: ["initial_node_count"] },
      });
    }
  }
}
