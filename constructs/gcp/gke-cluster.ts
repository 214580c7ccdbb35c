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
import { GKE_MINIMUM_MAINTENANCE_HOURS, GKE_MINIMUM_WINDOW_HOURS, Weekday, minimumMaintenanceHours } from "../../modules/maintenance";

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
  /**
   * The weekly maintenance window (UTC). GKE refuses windows that leave under 48 hours of
   * maintenance in any 32 days; two days of 4 hours each leave 32-40.
   * @default Saturday and Sunday, 03:00 for 6 hours (48 hours in the worst 32 days)
   */
  readonly maintenance?: GkeMaintenanceWindow;
  /** @default false */
  readonly deletionProtection?: boolean;
  /**
   * GKE's managed Secret Manager add-on: the CSI driver `secrets-store-gke.csi.k8s.io` (provider
   * `gke`) that mounts Secret Manager secrets as files, read through Workload Identity Federation.
   * @default false
   */
  readonly secretManagerCsi?: boolean;
}

/** A recurring weekly maintenance window. */
export interface GkeMaintenanceWindow {
  readonly days: readonly Weekday[];
  /** HH:MM, UTC. */
  readonly startTime: string;
  readonly durationHours: number;
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
    const maintenance = props.maintenance ?? { days: ["SA", "SU"], startTime: "03:00", durationHours: 6 };
    const availability = minimumMaintenanceHours(maintenance.days, maintenance.durationHours);
    if (maintenance.durationHours < GKE_MINIMUM_WINDOW_HOURS || availability < GKE_MINIMUM_MAINTENANCE_HOURS) {
      throw new Error(
        `GkeCluster '${props.clusterName}': the maintenance window (${maintenance.days.join(",")} for ${maintenance.durationHours} h) gives ${availability} h in the worst 32 days; GKE needs windows of at least ${GKE_MINIMUM_WINDOW_HOURS} h adding up to ${GKE_MINIMUM_MAINTENANCE_HOURS} h`,
      );
    }

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
      maintenancePolicy: { recurringWindow: recurringWindow(maintenance) },
      deletionProtection: props.deletionProtection ?? false,
      secretManagerConfig: props.secretManagerCsi ? { enabled: true } : undefined,
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

/**
 * GKE's recurring window: a first occurrence (any past date: `BYDAY` picks the days) and its end,
 * which GKE reads as the window's length.
 */
export function recurringWindow(window: GkeMaintenanceWindow): { startTime: string; endTime: string; recurrence: string } {
  const start = new Date(`2025-01-04T${window.startTime}:00Z`);
  const end = new Date(start.getTime() + window.durationHours * 3_600_000);
  const iso = (date: Date) => date.toISOString().replace(/\.000Z$/, "Z");
  return { startTime: iso(start), endTime: iso(end), recurrence: `FREQ=WEEKLY;BYDAY=${window.days.join(",")}` };
}
