/**
 * Vault: HA with integrated (Raft) storage in production, auto-unseal with the cloud's KMS through
 * the cluster's workload identity (no unseal keys or cloud credentials in the cluster), audit
 * storage, the agent injector. Where the cloud has no KMS (DigitalOcean) Vault starts sealed and is
 * unsealed by its operators with Shamir key shares.
 *
 * TLS: the `vault` namespace is not in the mesh, so Vault serves TLS itself, with a certificate
 * cert-manager issues from a CA of Vault's own (a self-signed root kept in the `vault` namespace,
 * so no other workload can issue names under it). Every listener and the Raft followers' join use
 * it; clients verify against `ca.crt` of the `vault-server-tls` secret.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { ManifestBundle } from "./manifest-bundle";
import { platformNamespace } from "./namespace";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext, VaultSeal } from "./platform-context";

export const VAULT_NAMESPACE = "vault";
export const VAULT_SERVICE_ACCOUNT = "vault";
/** Secret cert-manager writes Vault's serving certificate, key and CA to (`tls.crt`, `tls.key`, `ca.crt`). */
export const VAULT_TLS_SECRET = "vault-server-tls";
/** Where the chart mounts `server.extraVolumes` entry `<name>`: /vault/userconfig/<name>. */
const TLS_DIR = `/vault/userconfig/${VAULT_TLS_SECRET}`;

/** The `seal` stanza of Vault's HCL configuration. */
export function sealStanza(seal: VaultSeal | undefined): string {
  switch (seal?.type) {
    case "awskms":
      return `seal "awskms" {\n  region     = "${seal.region}"\n  kms_key_id = "${seal.kmsKeyId}"\n}\n`;
    case "gcpckms":
      return `seal "gcpckms" {\n  project    = "${seal.project}"\n  region     = "${seal.region}"\n  key_ring   = "${seal.keyRing}"\n  crypto_key = "${seal.cryptoKey}"\n}\n`;
    case "azurekeyvault":
      return `seal "azurekeyvault" {\n  tenant_id  = "${seal.tenantId}"\n  vault_name = "${seal.vaultName}"\n  key_name   = "${seal.keyName}"\n}\n`;
    default:
      return "";
  }
}

/**
 * Vault's HCL configuration: a TLS listener, Raft storage whose members find each other through the
 * chart's headless service (`vault-<n>.vault-internal`, the chart's StatefulSet pod names), the
 * Kubernetes service registration and the seal.
 */
export function vaultConfig(replicas: number, seal: VaultSeal | undefined): string {
  const retryJoin = Array.from(
    { length: replicas },
    (_, n) =>
      `  retry_join {\n    leader_api_addr     = "https://vault-${n}.vault-internal:8200"\n    leader_ca_cert_file = "${TLS_DIR}/ca.crt"\n  }`,
  );
  return [
    "ui = true",
    `listener "tcp" {\n  address         = "[::]:8200"\n  cluster_address = "[::]:8201"\n  tls_cert_file   = "${TLS_DIR}/tls.crt"\n  tls_key_file    = "${TLS_DIR}/tls.key"\n  tls_min_version = "tls12"\n}`,
    `storage "raft" {\n  path = "/vault/data"\n${retryJoin.join("\n")}\n}`,
    'service_registration "kubernetes" {}',
    sealStanza(seal),
  ].join("\n");
}

/** The names Vault answers to inside the cluster: its services, each pod behind the headless service, and the loopback the chart's probes use. */
export function vaultCertificate(namespace: string): Record<string, unknown> {
  const services = ["vault", "vault-active", "vault-standby", "vault-internal"];
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: VAULT_TLS_SECRET, namespace },
    spec: {
      secretName: VAULT_TLS_SECRET,
      duration: "2160h",
      renewBefore: "720h",
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      dnsNames: [
        ...services.flatMap((s) => [s, `${s}.${namespace}`, `${s}.${namespace}.svc`, `${s}.${namespace}.svc.cluster.local`]),
        "*.vault-internal",
        `*.vault-internal.${namespace}.svc.cluster.local`,
      ],
      ipAddresses: ["127.0.0.1"],
      issuerRef: { kind: "Issuer", name: "vault-ca" },
    },
  };
}

export class Vault extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    if (!ctx.certManager) {
      throw new Error("Vault: needs cert-manager for its TLS certificate; turn on the 'cert-manager' add-on wherever 'vault' is on");
    }
    const replicas = ctx.production ? 3 : 1;
    const ns = platformNamespace(this, ctx, VAULT_NAMESPACE);
    const tls = new ManifestBundle(this, "tls", {
      releaseName: "vault-tls",
      namespace: VAULT_NAMESPACE,
      provider: ctx.helm,
      dependsOn: [ns, ctx.certManager],
      manifests: [
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "vault-selfsigned", namespace: VAULT_NAMESPACE }, spec: { selfSigned: {} } },
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: { name: "vault-ca", namespace: VAULT_NAMESPACE },
          spec: {
            isCA: true,
            commonName: `vault-ca.${ctx.meshClusterName}`,
            secretName: "vault-ca",
            duration: "87600h",
            privateKey: { algorithm: "ECDSA", size: 256 },
            issuerRef: { kind: "Issuer", name: "vault-selfsigned" },
          },
        },
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "vault-ca", namespace: VAULT_NAMESPACE }, spec: { ca: { secretName: "vault-ca" } } },
        vaultCertificate(VAULT_NAMESPACE),
      ],
    });
    new PinnedChart(this, "chart", {
      source: CHARTS.vault,
      namespace: VAULT_NAMESPACE,
      createNamespace: false,
      provider: ctx.helm,
      dependsOn: [ns, tls.release],
      values: {
        global: { tlsDisable: false },
        injector: { enabled: true, replicas: ctx.production ? 2 : 1 },
        server: {
          serviceAccount: { name: VAULT_SERVICE_ACCOUNT, annotations: ctx.identity.serviceAccountAnnotations("vault-unseal", VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT) },
          extraLabels: ctx.identity.podLabels("vault-unseal"),
          // Mounted at /vault/userconfig/vault-server-tls; the CLI in the pods (probes, operators) verifies with it.
          extraVolumes: [{ type: "secret", name: VAULT_TLS_SECRET }],
          extraEnvironmentVars: { VAULT_CACERT: `${TLS_DIR}/ca.crt` },
          dataStorage: { enabled: true, size: "10Gi" },
          auditStorage: { enabled: true, size: "10Gi" },
          resources: { requests: { cpu: "250m", memory: "256Mi" } },
          ha: { enabled: true, replicas, raft: { enabled: true, setNodeId: true, config: vaultConfig(replicas, ctx.identity.vaultSeal()) } },
        },
        ui: { enabled: true },
      },
    });
  }
}
