/**
 * A private AKS cluster: Entra ID RBAC with local accounts off, OIDC issuer and workload identity,
 * Azure CNI overlay with Cilium network policy, a system pool and a zonal autoscaling user pool on
 * the nodes subnet behind the NAT gateway, the Key Vault secrets provider, Container Insights and
 * control-plane diagnostics into Log Analytics, the Azure Policy add-on, automatic upgrades in a
 * weekly window. Ingress is the platform's Istio gateway behind the cluster's Standard load
 * balancer: the Application Gateway ingress controller add-on is refused by AKS on Azure CNI
 * overlay ("Application Gateway Ingress Controller addon is not supported with Azure CNI Overlay").
 */
import { Fn } from "cdktf";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Construct } from "constructs";
import { Netmask, ip2long, long2ip } from "netmask";

/** Control-plane log categories sent to Log Analytics. */
export const AKS_LOG_CATEGORIES = ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"] as const;

/** One node pool's size and bounds. */
export interface AksPoolSpec {
  readonly vmSize: string;
  readonly minCount: number;
  readonly maxCount: number;
}

/** Properties for {@link AksCluster}. */
export interface AksClusterProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tenantId: string;
  /** Minor version such as `1.33`. @default AKS's default */
  readonly kubernetesVersion?: string;
  readonly nodesSubnetId: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** Networks allowed to a public API server; empty keeps the cluster private. */
  readonly apiServerAuthorizedCidrs: readonly string[];
  readonly adminGroupObjectIds: readonly string[];
  readonly systemPool: AksPoolSpec;
  readonly userPool: AksPoolSpec;
  readonly upgradeChannel: string;
  readonly maintenanceDay: string;
  /** HH:MM, UTC. */
  readonly maintenanceStartTime: string;
  readonly maintenanceDurationHours: number;
  readonly logRetentionDays: number;
  /** Standard (financially backed SLA) or Free. */
  readonly skuTier: "Standard" | "Free";
  /** Keep the cluster on destroy. @default false */
  readonly preventDestroy?: boolean;
}

const ZONES = ["1", "2", "3"];

export class AksCluster extends Construct {
  readonly cluster: KubernetesCluster;
  readonly workspace: LogAnalyticsWorkspace;
  readonly identity: UserAssignedIdentity;
  /** Base64 PEM of the API server's CA (public, so not marked sensitive). */
  readonly caCertificate: string;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    for (const cidr of props.apiServerAuthorizedCidrs) {
      if (cidr.endsWith("/0")) throw new Error(`AksCluster '${props.name}': the API server allowlist must not contain ${cidr}`);
    }
    this.workspace = new LogAnalyticsWorkspace(this, "logs", {
      name: `${props.name}-logs`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: props.logRetentionDays,
      localAuthenticationEnabled: false,
    });
    // The control plane's own identity: it joins the nodes subnet and the NAT gateway's egress.
    this.identity = new UserAssignedIdentity(this, "identity", {
      name: `${props.name}-control-plane`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    const networkContributor = new RoleAssignment(this, "identity-subnet", {
      scope: props.nodesSubnetId,
      roleDefinitionName: "Network Contributor",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
      description: "AKS control plane: attach nodes and load balancers to the nodes subnet",
    });
    const isPrivate = props.apiServerAuthorizedCidrs.length === 0;
    const upgradeSettings = { maxSurge: "33%", drainTimeoutInMinutes: 30 };
    // Kubernetes and node-image upgrades share the one weekly window.
    const window = {
      frequency: "Weekly",
      interval: 1,
      dayOfWeek: props.maintenanceDay,
      startTime: props.maintenanceStartTime,
      duration: props.maintenanceDurationHours,
      utcOffset: "+00:00",
    };
    // Only the stable and rapid channels move the minor version away from `kubernetesVersion`;
    // under `patch` a change of the configured minor must reach the plan.
    const channelOwnsVersion = props.upgradeChannel === "stable" || props.upgradeChannel === "rapid";
    this.cluster = new KubernetesCluster(this, "cluster", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      // `dns_prefix` for private clusters too: azurerm refuses `dns_prefix_private_cluster` unless a
      // custom private DNS zone is given ("should only be set for private cluster with custom
      // private dns zone"); with AKS's system-managed zone the private FQDN derives from dns_prefix.
      dnsPrefix: props.name,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier,
      privateClusterEnabled: isPrivate,
      apiServerAccessProfile: isPrivate ? undefined : { authorizedIpRanges: [...props.apiServerAuthorizedCidrs] },
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      networkProfile: {
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        networkDataPlane: "cilium",
        networkPolicy: "cilium",
        podCidr: props.podCidr,
        serviceCidr: props.serviceCidr,
        dnsServiceIp: dnsServiceIp(props.serviceCidr),
        outboundType: "userAssignedNATGateway",
        loadBalancerSku: "standard",
      },
      defaultNodePool: {
        name: "system",
        vmSize: props.systemPool.vmSize,
        vnetSubnetId: props.nodesSubnetId,
        zones: ZONES,
        autoScalingEnabled: true,
        minCount: props.systemPool.minCount,
        maxCount: props.systemPool.maxCount,
        onlyCriticalAddonsEnabled: true,
        hostEncryptionEnabled: true,
        osSku: "AzureLinux",
        maxPods: 110,
        temporaryNameForRotation: "systemtmp",
        upgradeSettings,
      },
      automaticUpgradeChannel: props.upgradeChannel,
      nodeOsUpgradeChannel: "NodeImage",
      maintenanceWindowAutoUpgrade: window,
      maintenanceWindowNodeOs: window,
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: "2m" },
      omsAgent: { logAnalyticsWorkspaceId: this.workspace.id, msiAuthForMonitoringEnabled: true },
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      runCommandEnabled: false,
      dependsOn: [networkContributor],
      lifecycle: {
        preventDestroy: props.preventDestroy === true,
        // The autoscaler owns node counts.
        ignoreChanges: ["default_node_pool[0].node_count", ...(channelOwnsVersion ? ["kubernetes_version"] : [])],
      },
    });
    new KubernetesClusterNodePool(this, "user-pool", {
      name: "user",
      kubernetesClusterId: this.cluster.id,
      mode: "User",
      vmSize: props.userPool.vmSize,
      vnetSubnetId: props.nodesSubnetId,
      zones: ZONES,
      autoScalingEnabled: true,
      minCount: props.userPool.minCount,
      maxCount: props.userPool.maxCount,
      hostEncryptionEnabled: true,
      osSku: "AzureLinux",
      maxPods: 110,
      upgradeSettings,
      lifecycle: { ignoreChanges: ["node_count"] },
    });
    // kube_config is sensitive as a whole; with local accounts off it holds no credential, and the
    // CA certificate in it is public (every client of the API server receives it).
    this.caCertificate = Fn.nonsensitive(this.cluster.kubeConfig.get(0).clusterCaCertificate);
    new MonitorDiagnosticSetting(this, "diagnostics", {
      name: "control-plane",
      targetResourceId: this.cluster.id,
      logAnalyticsWorkspaceId: this.workspace.id,
      logAnalyticsDestinationType: "Dedicated",
      enabledLog: AKS_LOG_CATEGORIES.map((category) => ({ category })),
      enabledMetric: [{ category: "AllMetrics" }],
    });
  }
}

/** The cluster DNS service address: the tenth address of the service range. */
export function dnsServiceIp(serviceCidr: string): string {
  return long2ip(ip2long(new Netmask(serviceCidr).base) + 10);
}
