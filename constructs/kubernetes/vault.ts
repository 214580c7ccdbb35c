/**
 * Vault: HA with integrated (Raft) storage in production, auto-unseal with the cloud's KMS through
 * the cluster's workload identity (no unseal keys or cloud credentials in the cluster), audit
 * storage, the agent injector. Where the cloud has no KMS (DigitalOcean) Vault starts sealed and is
 * unsealed by its operators with Shamir key shares.
 */
import { Construct } from "constructs";
import { CHARTS } from "./charts";
import { PinnedChart } from "./pinned-chart";
import type { PlatformContext, VaultSeal } from "./platform-context";

export const VAULT_NAMESPACE = "vault";
export const VAULT_SERVICE_ACCOUNT = "vault";

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

export class Vault extends Construct {
  constructor(scope: Construct, id: string, ctx: PlatformContext) {
    super(scope, id);
    const replicas = ctx.production ? 3 : 1;
    const raftConfig = [
      "ui = true",
      'listener "tcp" {\n  address         = "[::]:8200"\n  cluster_address = "[::]:8201"\n  # TLS is terminated by the Istio sidecar (strict mTLS mesh-wide)\n  tls_disable     = 1\n}',
      'storage "raft" {\n  path = "/vault/data"\n}',
      'service_registration "kubernetes" {}',
      sealStanza(ctx.identity.vaultSeal()),
    ].join("\n");
    new PinnedChart(this, "chart", {
      source: CHARTS.vault,
      namespace: VAULT_NAMESPACE,
      provider: ctx.helm,
      values: {
        global: { tlsDisable: true },
        injector: { enabled: true, replicas: ctx.production ? 2 : 1 },
        server: {
          serviceAccount: { name: VAULT_SERVICE_ACCOUNT, annotations: ctx.identity.serviceAccountAnnotations("vault-unseal", VAULT_NAMESPACE, VAULT_SERVICE_ACCOUNT) },
          extraLabels: ctx.identity.podLabels("vault-unseal"),
          dataStorage: { enabled: true, size: "10Gi" },
          auditStorage: { enabled: true, size: "10Gi" },
          ha: { enabled: true, replicas, raft: { enabled: true, setNodeId: true, config: raftConfig } },
        },
        ui: { enabled: true },
      },
    });
  }
}
