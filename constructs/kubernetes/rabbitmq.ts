/**
 * RabbitMQ in the cluster (GCP, Azure, DigitalOcean; AWS uses Amazon MQ): the RabbitMQ Cluster
 * Operator and Messaging Topology Operator from one pinned chart, and a RabbitmqCluster with TLS only
 * (a private CA issued by cert-manager), persistent volumes, a PodDisruptionBudget, nodes spread over
 * hosts and zones, and a ServiceMonitor so the cluster's Prometheus ships RabbitMQ metrics to the hub.
 * Vhosts and policies declared in config become the topology operator's Vhost and Policy resources.
 *
 * The chart (Bitnami's packaging, 4.3.3 = operator 2.9.0, topology operator 1.14.1) renders the two
 * operator Deployments, their RBAC, the CRDs (from its crds/ folder, installed before the templates,
 * never upgraded by Helm), the topology operator's validating webhook and, with `useCertManager`, a
 * cert-manager Certificate/Issuer for that webhook; no hooks. Its images are replaced by upstream's
 * (docker.io/rabbitmqoperator/*, docker.io/library/rabbitmq): the Bitnami ones are no longer
 * published for free, and the chart's commands (`/manager`) are the upstream images' entrypoints.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { Construct } from "constructs";
import { messagingOn, rabbitReplicas, type RabbitVhost } from "../../modules/config/messaging";
import type { CertManager } from "./cert-manager";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import type { Monitoring } from "./observability";
import { platformNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext } from "./platform-context";

export const RABBITMQ_NAMESPACE = "rabbitmq";
export const RABBITMQ_CLUSTER = "rabbitmq";
/** The images the operators run (their registries are what an allowed-repos policy must admit). */
export const RABBITMQ_IMAGES = {
  clusterOperator: { registry: "docker.io", repository: "rabbitmqoperator/cluster-operator", tag: "2.9.0" },
  topologyOperator: { registry: "docker.io", repository: "rabbitmqoperator/messaging-topology-operator", tag: "1.14.1" },
  credentialUpdater: { registry: "docker.io", repository: "rabbitmqoperator/default-user-credential-updater", tag: "1.0.4" },
  rabbitmq: { registry: "docker.io", repository: "library/rabbitmq", tag: "3.13.7-management" },
} as const;

/** The node label the cluster stacks put on every pool (`spot` or `standard`; see gke-cluster.ts, eks-cluster.ts). */
const CAPACITY_LABEL = "addtocloud.tech/capacity";

/** How an application in the cluster reaches the broker: service host, and where the operator keeps the default user. */
export const IN_CLUSTER_RABBITMQ = {
  host: `${RABBITMQ_CLUSTER}.${RABBITMQ_NAMESPACE}.svc.cluster.local`,
  secretRef: `kubernetes:${RABBITMQ_NAMESPACE}/${RABBITMQ_CLUSTER}-default-user`,
  /** AMQPS: the only AMQP listener (`disableNonTLSListeners`). */
  port: 5671,
} as const;

/**
 * The AMQP fields of the messaging contract where RabbitMQ runs in the cluster (GCP, Azure,
 * DigitalOcean): the service, its AMQPS port and the operator's default-user secret, by reference.
 */
export function inClusterAmqpContract(rabbitOn: boolean) {
  return {
    amqp_endpoint: rabbitOn ? IN_CLUSTER_RABBITMQ.host : "",
    amqp_port: IN_CLUSTER_RABBITMQ.port,
    amqp_auth_mechanism: rabbitOn ? "PLAIN over TLS (RabbitMQ user, private CA rabbitmq/rabbitmq-ca)" : "",
    amqp_secret_ref: rabbitOn ? IN_CLUSTER_RABBITMQ.secretRef : "",
  };
}

/** Properties for {@link RabbitMqCluster}. */
export interface RabbitMqClusterProps {
  /** RabbitMQ nodes (odd). */
  readonly replicas: number;
  /** Persistent volume per node, GiB. */
  readonly storageGi: number;
  readonly vhosts: readonly RabbitVhost[];
  /** cert-manager's release: TLS certificates need its CRDs and controller. */
  readonly certManager: Release;
  /**
   * The monitoring add-on's release (kube-prometheus-stack): when given, a ServiceMonitor is rendered
   * and installed after it, since that release brings the ServiceMonitor CRD. @default no ServiceMonitor
   */
  readonly monitoring?: Release;
}

export class RabbitMqCluster extends Construct {
  readonly operator: Release;
  readonly cluster: Release;

  constructor(scope: Construct, id: string, ctx: PlatformContext, props: RabbitMqClusterProps) {
    super(scope, id);
    if (![1, 3, 5, 7].includes(props.replicas)) throw new Error(`RabbitMqCluster: 'replicas' (${props.replicas}) must be 1, 3, 5 or 7`);
    const ns = platformNamespace(this, ctx, RABBITMQ_NAMESPACE);
    const svc = `${RABBITMQ_CLUSTER}.${RABBITMQ_NAMESPACE}.svc`;
    const nodes = `*.${RABBITMQ_CLUSTER}-nodes.${RABBITMQ_NAMESPACE}.svc`;
    const meta = (name: string) => ({ name, namespace: RABBITMQ_NAMESPACE });

    // A private CA for the broker's certificates: clients inside the mesh trust `rabbitmq-ca`.
    const tls = new ManifestBundle(this, "tls", {
      releaseName: "rabbitmq-tls",
      namespace: RABBITMQ_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [ns, props.certManager],
      manifests: [
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("rabbitmq-selfsigned"), spec: { selfSigned: {} } },
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: meta("rabbitmq-ca"),
          spec: {
            isCA: true,
            commonName: `${ctx.meshClusterName} RabbitMQ CA`,
            secretName: "rabbitmq-ca",
            duration: "87600h",
            privateKey: { algorithm: "ECDSA", size: 256 },
            issuerRef: { name: "rabbitmq-selfsigned", kind: "Issuer" },
          },
        },
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("rabbitmq-ca"), spec: { ca: { secretName: "rabbitmq-ca" } } },
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: meta("rabbitmq-tls"),
          spec: {
            secretName: "rabbitmq-tls",
            duration: "2160h",
            renewBefore: "360h",
            dnsNames: [svc, `${svc}.cluster.local`, nodes, `${nodes}.cluster.local`],
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            issuerRef: { name: "rabbitmq-ca", kind: "Issuer" },
          },
        },
      ],
    });

    const image = (i: { registry: string; repository: string; tag: string }) => ({ registry: i.registry, repository: i.repository, tag: i.tag });
    // The topology operator talks to the management API over TLS: it trusts the private CA,
    // whose secret the TLS bundle above creates first.
    const caVolume = { name: "rabbitmq-ca", secret: { secretName: "rabbitmq-ca", items: [{ key: "ca.crt", path: "rabbitmq-ca.crt" }] } };
    const caMount = { name: "rabbitmq-ca", mountPath: "/etc/ssl/certs/rabbitmq-ca.crt", subPath: "rabbitmq-ca.crt", readOnly: true };
    this.operator = new PinnedChart(this, "operator", {
      source: CHARTS.rabbitmqClusterOperator,
      namespace: RABBITMQ_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [ns, tls.release],
      values: {
        useCertManager: true,
        rabbitmqImage: image(RABBITMQ_IMAGES.rabbitmq),
        credentialUpdaterImage: image(RABBITMQ_IMAGES.credentialUpdater),
        clusterOperator: { image: image(RABBITMQ_IMAGES.clusterOperator), watchAllNamespaces: false, watchNamespaces: [RABBITMQ_NAMESPACE] },
        msgTopologyOperator: {
          image: image(RABBITMQ_IMAGES.topologyOperator),
          watchAllNamespaces: false,
          watchNamespaces: [RABBITMQ_NAMESPACE],
          extraVolumes: [caVolume],
          extraVolumeMounts: [caMount],
        },
      },
    }).release;

    const ref = { rabbitmqClusterReference: { name: RABBITMQ_CLUSTER } };
    const pods = { "app.kubernetes.io/name": RABBITMQ_CLUSTER };
    const manifests: Record<string, unknown>[] = [
      {
        apiVersion: "rabbitmq.com/v1beta1",
        kind: "RabbitmqCluster",
        metadata: meta(RABBITMQ_CLUSTER),
        spec: {
          replicas: props.replicas,
          image: `${RABBITMQ_IMAGES.rabbitmq.registry}/${RABBITMQ_IMAGES.rabbitmq.repository}:${RABBITMQ_IMAGES.rabbitmq.tag}`,
          persistence: { storage: `${props.storageGi}Gi` },
          resources: ctx.production
            ? { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } }
            : { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
          // Server TLS only (no `caSecretName`: that would ask clients for certificates too).
          tls: { secretName: "rabbitmq-tls", disableNonTLSListeners: true },
          affinity: {
            // A broker node keeps queue replicas on its volume: never on spot capacity, which the
            // cloud reclaims at will (GKE's spot pools carry this label; nodes without it qualify).
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: CAPACITY_LABEL, operator: "NotIn", values: ["spot"] }] }],
              },
            },
            podAntiAffinity: {
              // Never two nodes on one host; across zones where the cloud has them (DigitalOcean
              // regions have none, so zones are preferred rather than required).
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: pods }, topologyKey: "kubernetes.io/hostname" }],
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: pods }, topologyKey: "topology.kubernetes.io/zone" } },
              ],
            },
          },
          rabbitmq: {
            additionalConfig: ["cluster_partition_handling = pause_minority", "disk_free_limit.relative = 1.0"].join("\n"),
          },
        },
      },
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: meta(RABBITMQ_CLUSTER),
        spec: { maxUnavailable: 1, selector: { matchLabels: pods } },
      },
    ];
    if (props.monitoring) {
      manifests.push({
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        // kube-prometheus-stack selects monitors labelled with its release name.
        metadata: { ...meta(RABBITMQ_CLUSTER), labels: { release: "kube-prometheus-stack" } },
        spec: {
          selector: { matchLabels: pods },
          endpoints: [
            {
              port: "prometheus-tls",
              scheme: "https",
              interval: "30s",
              tlsConfig: { ca: { secret: { name: "rabbitmq-ca", key: "ca.crt" } }, serverName: `${svc}.cluster.local` },
            },
          ],
        },
      });
    }
    for (const vhost of props.vhosts) {
      manifests.push({ apiVersion: "rabbitmq.com/v1beta1", kind: "Vhost", metadata: meta(`vhost-${vhost.name}`), spec: { name: vhost.name, ...ref } });
      for (const policy of vhost.policies) {
        manifests.push({
          apiVersion: "rabbitmq.com/v1beta1",
          kind: "Policy",
          metadata: meta(`policy-${vhost.name}-${policy.name}`),
          spec: { name: policy.name, vhost: vhost.name, pattern: policy.pattern, applyTo: policy.applyTo, priority: policy.priority, definition: policy.definition, ...ref },
        });
      }
    }
    this.cluster = new ManifestBundle(this, "cluster", {
      releaseName: "rabbitmq-cluster",
      namespace: RABBITMQ_NAMESPACE,
      provider: ctx.helm,
      // The operator brings the rabbitmq.com CRDs; the monitoring release the ServiceMonitor CRD.
      dependsOn: props.monitoring ? [this.operator, props.monitoring] : [this.operator],
      // Fresh copies: YAML would render objects shared between manifests as anchors and aliases.
      manifests: manifests.map((manifest) => JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>),
    }).release;
  }
}

/**
 * The catalogue's registration: a RabbitmqCluster on this cluster when `messaging.<cloud>.rabbitmq`
 * is on (never on AWS, which runs Amazon MQ). Needs cert-manager for the TLS certificates.
 */
export function inClusterRabbitMq(scope: Construct, ctx: PlatformContext, addons: { readonly certManager?: CertManager; readonly monitoring?: Monitoring }): RabbitMqCluster | undefined {
  if (ctx.cloud === "aws" || !messagingOn(ctx.env, ctx.cloud, "rabbitmq")) return undefined;
  if (!addons.certManager) {
    throw new Error(`${ctx.env.name}: RabbitMQ on ${ctx.cloud} needs the cert-manager add-on for its TLS certificates (or set messaging.${ctx.cloud}.rabbitmq.enabled: false)`);
  }
  const r = ctx.env.messaging[ctx.cloud].rabbitmq;
  return new RabbitMqCluster(scope, "rabbitmq", ctx, {
    replicas: rabbitReplicas(ctx.env, ctx.cloud),
    storageGi: r.storageGi,
    vhosts: ctx.env.messaging.rabbitmq.vhosts,
    certManager: addons.certManager.release,
    monitoring: addons.monitoring?.release,
  });
}
