/**
 * GKE workload identity for the platform add-ons: each add-on that calls Google APIs gets its own
 * Google service account, impersonable only by its Kubernetes service account, with only the
 * permissions it needs. Made on first use; Vault's unseal key is a Cloud KMS key of its own.
 */
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Construct } from "constructs";
import type { CloudRole, VaultSeal, WorkloadIdentity } from "../kubernetes/platform-context";
import { CryptoKey } from "./crypto-key";

/** Properties for {@link GcpWorkloadIdentity}. */
export interface GcpWorkloadIdentityProps {
  readonly clusterName: string;
  readonly projectId: string;
  readonly region: string;
  /** `<project>.svc.id.goog`. */
  readonly workloadPool: string;
}

export class GcpWorkloadIdentity extends Construct implements WorkloadIdentity {
  private readonly accounts = new Map<string, ServiceAccount>();
  private unsealKey?: CryptoKey;
  private readonly keyRingName: string;

  constructor(scope: Construct, id: string, private readonly props: GcpWorkloadIdentityProps) {
    super(scope, id);
    this.keyRingName = `${props.clusterName}-vault`;
  }

  serviceAccountAnnotations(role: CloudRole, namespace: string, name: string): Record<string, string> {
    return { "iam.gke.io/gcp-service-account": this.accountFor(role, namespace, name).email };
  }

  podLabels(): Record<string, string> {
    return {};
  }

  vaultSeal(): VaultSeal {
    this.vaultKey();
    return { type: "gcpckms", project: this.props.projectId, region: this.props.region, keyRing: this.keyRingName, cryptoKey: "vault-unseal" };
  }

  private vaultKey(): CryptoKey {
    this.unsealKey ??= new CryptoKey(this, "vault-unseal-key", {
      keyRingName: this.keyRingName,
      keyName: "vault-unseal",
      location: this.props.region,
      encrypterDecrypters: [],
    });
    return this.unsealKey;
  }

  private accountFor(role: CloudRole, namespace: string, name: string): ServiceAccount {
    const key = `${role}/${namespace}/${name}`;
    let account = this.accounts.get(key);
    if (account) return account;
    account = new ServiceAccount(this, role, {
      accountId: `${role}-${this.props.clusterName}`.slice(0, 30).replace(/-+$/, ""),
      displayName: `${role} on ${this.props.clusterName}`,
      description: `Workload identity of ${namespace}/${name}`,
    });
    new ServiceAccountIamMember(this, `${role}-impersonation`, {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${this.props.workloadPool}[${namespace}/${name}]`,
    });
    switch (role) {
      case "vault-unseal": {
        const key = this.vaultKey();
        for (const keyRole of ["roles/cloudkms.cryptoKeyEncrypterDecrypter", "roles/cloudkms.viewer"]) {
          new KmsCryptoKeyIamMember(this, `${role}-${keyRole.split(".")[1]}`, { cryptoKeyId: key.id, role: keyRole, member: account.member });
        }
        break;
      }
      case "monitoring-reader":
        // monitoring.timeSeries.list and monitoring.metricDescriptors.list, read only.
        new ProjectIamMember(this, `${role}-monitoring-viewer`, { project: this.props.projectId, role: "roles/monitoring.viewer", member: account.member });
        break;
      default:
        throw new Error(`GcpWorkloadIdentity: no Google permissions are defined for '${role}'`);
    }
    this.accounts.set(key, account);
    return account;
  }
}
