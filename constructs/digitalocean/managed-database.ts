/**
 * A DigitalOcean managed database cluster in a VPC whose firewall admits only the given
 * Kubernetes cluster, with a maintenance window and, optionally, a read replica. Connection
 * secrets stay in the resource (and state); callers output only ids, hosts and ports.
 */
import { DatabaseCluster } from "@cdktf/provider-digitalocean/lib/database-cluster";
import { DatabaseFirewall } from "@cdktf/provider-digitalocean/lib/database-firewall";
import { DatabaseReplica } from "@cdktf/provider-digitalocean/lib/database-replica";
import { Construct } from "constructs";

export type DatabaseEngine = "pg" | "mongodb" | "valkey" | "kafka";

/** Properties for {@link ManagedDatabase}. */
export interface ManagedDatabaseProps {
  readonly name: string;
  readonly engine: DatabaseEngine;
  readonly version: string;
  readonly size: string;
  readonly nodeCount: number;
  readonly region: string;
  readonly vpcId: string;
  /** The only client admitted by the database firewall. */
  readonly kubernetesClusterId: string;
  readonly maintenanceDay: string;
  /** HH:MM, UTC. */
  readonly maintenanceHour: string;
  /** Add a read replica in the same region and VPC. @default false */
  readonly readReplica?: boolean;
  /** Refuse to destroy the cluster. @default false */
  readonly preventDestroy?: boolean;
}

export class ManagedDatabase extends Construct {
  readonly cluster: DatabaseCluster;
  readonly replica?: DatabaseReplica;

  constructor(scope: Construct, id: string, props: ManagedDatabaseProps) {
    super(scope, id);
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(props.maintenanceHour)) {
      throw new Error(`ManagedDatabase '${props.name}': maintenance hour ${props.maintenanceHour} must be HH:MM (UTC)`);
    }
    if (props.engine === "mongodb" && props.nodeCount === 2) {
      throw new Error(`ManagedDatabase '${props.name}': a MongoDB replica set has 1 or 3 nodes, not 2`);
    }
    this.cluster = new DatabaseCluster(this, "cluster", {
      name: props.name,
      engine: props.engine,
      version: props.version,
      size: props.size,
      nodeCount: props.nodeCount,
      region: props.region,
      privateNetworkUuid: props.vpcId,
      // The provider documents the hour as HH:MM:SS.
      maintenanceWindow: [{ day: props.maintenanceDay, hour: `${props.maintenanceHour}:00` }],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new DatabaseFirewall(this, "firewall", {
      clusterId: this.cluster.id,
      rule: [{ type: "k8s", value: props.kubernetesClusterId }],
    });
    if (props.readReplica) {
      if (props.engine !== "pg") throw new Error(`ManagedDatabase '${props.name}': read replicas are for PostgreSQL`);
      this.replica = new DatabaseReplica(this, "replica", {
        clusterId: this.cluster.id,
        name: `${props.name}-replica`,
        size: props.size,
        region: props.region,
        privateNetworkUuid: props.vpcId,
      });
    }
  }
}
