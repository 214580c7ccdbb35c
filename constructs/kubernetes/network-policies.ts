/**
 * The application namespaces (sidecar injection on) with default-deny NetworkPolicies: nothing in
 * or out unless allowed, then DNS, the mesh control plane, traffic within the namespace, the
 * ingress gateway, the east-west gateway and Prometheus scraping. Every CNI here enforces them
 * (VPC CNI network policy agent on EKS, Dataplane V2 on GKE, Azure CNI/Cilium on AKS, Cilium on DOKS).
 */
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { NetworkPolicyV1, NetworkPolicyV1SpecEgress, NetworkPolicyV1SpecIngress } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { Construct } from "constructs";
import { DOCUMENTDB_PORT } from "../aws/documentdb-cluster";
import { MSK_IAM_PORT } from "../aws/msk-cluster";
import { POSTGRES_PORT } from "../aws/postgres-database";
import { AMQPS_PORT } from "../aws/rabbitmq-broker";
import { REDIS_PORT } from "../aws/redis-cache";
import { AZURE_PORTS } from "../azure/ports";
import { EVENT_HUBS_KAFKA_PORT } from "../azure/event-hubs-kafka";
import { MONGODB_PORT } from "../gcp/atlas-mongodb";
import { CLOUD_SQL_POSTGRES_PORT } from "../gcp/cloud-sql-postgres";
import { MANAGED_KAFKA_PORT } from "../gcp/managed-kafka";
import { MEMORYSTORE_TLS_PORT } from "../gcp/memorystore-redis";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import { messagingOn } from "../../modules/config/messaging";
import { SIDECAR_INJECTION_LABEL, platformNamespace } from "./namespace";
import type { PlatformContext } from "./platform-context";
import { IN_CLUSTER_RABBITMQ, RABBITMQ_NAMESPACE } from "./rabbitmq";

/**
 * DigitalOcean's managed databases listen on fixed ports (its "connection details"): PostgreSQL
 * 25060, Valkey 25061, Kafka 25073 (SASL), MongoDB 27017.
 */
const DIGITALOCEAN_DATA_PORTS = [25060, 25061, 25073, 27017];

/**
 * Where an application of this cloud reaches its managed databases and brokers, and on which ports:
 * the cloud's network ranges (GCP adds the private-services range of Cloud SQL and Memorystore and
 * the Atlas range) and the ports its data and messaging contracts publish.
 */
export function dataServiceEgress(env: EnvironmentConfig, cloud: KubernetesCloud): { ranges: string[]; ports: number[] } {
  switch (cloud) {
    case "aws":
      return { ranges: [env.clouds.aws!.network.cidr], ports: [POSTGRES_PORT, DOCUMENTDB_PORT, REDIS_PORT, MSK_IAM_PORT, AMQPS_PORT] };
    case "gcp": {
      const gcp = env.clouds.gcp!;
      const ranges = [gcp.network.cidr, gcp.network.privateServicesCidr, ...(gcp.data.mongodbAtlas ? [gcp.data.mongodbAtlas.cidr] : [])];
      return { ranges, ports: [CLOUD_SQL_POSTGRES_PORT, MONGODB_PORT, MEMORYSTORE_TLS_PORT, MANAGED_KAFKA_PORT] };
    }
    case "azure":
      return { ranges: [env.clouds.azure!.network.cidr], ports: [AZURE_PORTS.postgres, AZURE_PORTS.mongodb, AZURE_PORTS.redis, EVENT_HUBS_KAFKA_PORT] };
    case "digitalocean":
      return { ranges: [env.clouds.digitalocean!.network.cidr], ports: DIGITALOCEAN_DATA_PORTS };
  }
}

const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });

/** Properties for {@link ApplicationNamespaces}. */
export interface ApplicationNamespacesProps {
  readonly namespaces: readonly string[];
}

export class ApplicationNamespaces extends Construct {
  /** The namespace resources: Argo CD syncs the applications into them only once they exist. */
  readonly namespaces: NamespaceV1[] = [];

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: ApplicationNamespacesProps) {
    super(scope, id);
    for (const name of props.namespaces) {
      const ns = platformNamespace(this, ctx, name, SIDECAR_INJECTION_LABEL);
      this.namespaces.push(ns);
      const policy = (policyName: string, types: string[], ingress?: NetworkPolicyV1SpecIngress[], egress?: NetworkPolicyV1SpecEgress[]) =>
        new NetworkPolicyV1(this, `${name}-${policyName}`, {
          provider: ctx.kubernetes,
          metadata: { name: policyName, namespace: ns.metadata.name },
          spec: { podSelector: {}, policyTypes: types, ingress, egress },
        });
      policy("default-deny-all", ["Ingress", "Egress"]);
      policy("allow-dns", ["Egress"], undefined, [
        { to: [inNamespace("kube-system")], ports: [{ port: "53", protocol: "UDP" }, { port: "53", protocol: "TCP" }] },
      ]);
      policy("allow-mesh-control-plane", ["Egress"], undefined, [
        { to: [inNamespace("istio-system")], ports: [{ port: "15012", protocol: "TCP" }, { port: "15017", protocol: "TCP" }, { port: "15443", protocol: "TCP" }] },
      ]);
      policy("allow-same-namespace", ["Ingress", "Egress"], [{ from: [{ podSelector: {} }] }], [{ to: [{ podSelector: {} }] }]);
      policy("allow-from-gateways", ["Ingress"], [{ from: [inNamespace("istio-ingress"), inNamespace("istio-system")] }]);
      policy("allow-prometheus-scrape", ["Ingress"], [{ from: [inNamespace("monitoring")], ports: [{ port: "15020", protocol: "TCP" }] }]);
      // The cloud's managed databases and brokers (private addresses in its own ranges), and the
      // in-cluster RabbitMQ where it runs; the default deny above would refuse them otherwise.
      const data = dataServiceEgress(ctx.env, ctx.cloud);
      const tcp = (ports: readonly number[]) => ports.map((port) => ({ port: String(port), protocol: "TCP" }));
      policy("allow-data-services", ["Egress"], undefined, [
        { to: data.ranges.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(data.ports) },
        ...(ctx.cloud !== "aws" && messagingOn(ctx.env, ctx.cloud, "rabbitmq") ? [{ to: [inNamespace(RABBITMQ_NAMESPACE)], ports: tcp([IN_CLUSTER_RABBITMQ.port]) }] : []),
      ]);
    }
  }
}
