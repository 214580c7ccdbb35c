/**
 * MongoDB Atlas on GCP, in the cluster's region, peered with the VPC (no public access list entry:
 * only the VPC's node and pod ranges are admitted), with cloud backups and continuous (point-in-time)
 * restore, termination protection, TLS 1.2+, and an application user whose password is generated
 * into Secret Manager.
 */
import { ComputeNetworkPeering } from "@cdktf/provider-google/lib/compute-network-peering";
import { AdvancedCluster } from "@cdktf/provider-mongodbatlas/lib/advanced-cluster";
import { DatabaseUser } from "@cdktf/provider-mongodbatlas/lib/database-user";
import { NetworkContainer } from "@cdktf/provider-mongodbatlas/lib/network-container";
import { NetworkPeering } from "@cdktf/provider-mongodbatlas/lib/network-peering";
import { Project } from "@cdktf/provider-mongodbatlas/lib/project";
import { ProjectIpAccessList } from "@cdktf/provider-mongodbatlas/lib/project-ip-access-list";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { Password } from "@cdktf/provider-random/lib/password";
import { GeneratedSecret } from "./generated-secret";

export const MONGODB_PORT = 27017;
/** The application's Atlas user (readWrite on the application database); the MongoDB refresh restores as it too. */
export const ATLAS_APP_USER = "addtocloud_app";

/** Properties for {@link AtlasMongoDb}. */
export interface AtlasMongoDbProps {
  readonly projectName: string;
  readonly orgId: string;
  /** Atlas's name for the region, e.g. CENTRAL_US. */
  readonly atlasRegion: string;
  readonly instanceSize: string;
  /** Atlas's side of the peering. */
  readonly atlasCidr: string;
  readonly gcpProjectId: string;
  readonly networkName: string;
  /** Self link or id of the VPC (for the Google side of the peering). */
  readonly networkId: string;
  /** Ranges allowed to connect through the peering (nodes and pods). */
  readonly clientCidrs: readonly string[];
  readonly secretRegion: string;
  readonly kmsKeyId: string;
  /** @default true */
  readonly terminationProtection?: boolean;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class AtlasMongoDb extends Construct {
  readonly cluster: AdvancedCluster;
  readonly password: GeneratedSecret;
  /** Private (peering) SRV host name. */
  readonly host: string;

  constructor(scope: Construct, id: string, props: AtlasMongoDbProps) {
    super(scope, id);
    const project = new Project(this, "project", { name: props.projectName, orgId: props.orgId, withDefaultAlertsSettings: true });
    const container = new NetworkContainer(this, "container", {
      projectId: project.id,
      atlasCidrBlock: props.atlasCidr,
      providerName: "GCP",
      regions: [props.atlasRegion],
    });
    const peering = new NetworkPeering(this, "peering", {
      projectId: project.id,
      containerId: container.containerId,
      providerName: "GCP",
      gcpProjectId: props.gcpProjectId,
      networkName: props.networkName,
    });
    new ComputeNetworkPeering(this, "google-side", {
      name: `${props.projectName}-atlas`,
      network: props.networkId,
      peerNetwork: `projects/${peering.atlasGcpProjectId}/global/networks/${peering.atlasVpcName}`,
    });
    props.clientCidrs.forEach((cidr, index) => {
      new ProjectIpAccessList(this, `client-range-${index}`, { projectId: project.id, cidrBlock: cidr, comment: "VPC range, through the peering" });
    });
    this.cluster = new AdvancedCluster(this, "cluster", {
      projectId: project.id,
      name: props.projectName,
      clusterType: "REPLICASET",
      backupEnabled: true,
      pitEnabled: true,
      terminationProtectionEnabled: props.terminationProtection ?? true,
      replicationSpecs: [
        {
          regionConfigs: [
            { providerName: "GCP", regionName: props.atlasRegion, priority: 7, electableSpecs: { instanceSize: props.instanceSize, nodeCount: 3 } },
          ],
        },
      ],
      advancedConfiguration: { minimumEnabledTlsProtocol: "TLS1_2", javascriptEnabled: false },
      dependsOn: [container],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    // mongodbatlas 1.41.1's database user has no write-only password: Atlas needs a value it can
    // keep, so this password is a managed random_password and sits in state (docs/state-and-review.md).
    const password = new Password(this, "app-password-value", { length: 32, special: false });
    this.password = new GeneratedSecret(this, "app-password", {
      secretId: `${props.projectName}-mongodb-app-password`,
      region: props.secretRegion,
      kmsKeyId: props.kmsKeyId,
      value: password.result,
    });
    new DatabaseUser(this, "app-user", {
      projectId: project.id,
      authDatabaseName: "admin",
      username: ATLAS_APP_USER,
      password: this.password.value,
      roles: [{ roleName: "readWrite", databaseName: "addtocloud" }],
      scopes: [{ name: this.cluster.name, type: "CLUSTER" }],
    });
    this.host = Fn.replace(this.cluster.connectionStrings.get(0).privateSrv, "mongodb+srv://", "");
  }
}
