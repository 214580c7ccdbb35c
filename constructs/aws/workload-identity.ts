/**
 * IRSA for the platform add-ons on EKS: each add-on that calls AWS gets a role only its service
 * account can assume, with only the permissions it needs. Roles (and Vault's unseal key) are made
 * on first use, so a disabled add-on leaves nothing behind.
 */
import { Construct } from "constructs";
import type { CloudRole, VaultSeal, WorkloadIdentity } from "../kubernetes/platform-context";
import { CustomerManagedKey } from "./kms-key";
import { ServiceRole, serviceAccountTrust } from "./service-role";

/** Properties for {@link AwsWorkloadIdentity}. */
export interface AwsWorkloadIdentityProps {
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerUrl: string;
  /** Keep Vault's unseal key on destroy. @default false */
  readonly preventDestroy?: boolean;
}

export class AwsWorkloadIdentity extends Construct implements WorkloadIdentity {
  private readonly roles = new Map<string, ServiceRole>();
  private unsealKey?: CustomerManagedKey;

  constructor(scope: Construct, id: string, private readonly props: AwsWorkloadIdentityProps) {
    super(scope, id);
  }

  serviceAccountAnnotations(role: CloudRole, namespace: string, name: string): Record<string, string> {
    return { "eks.amazonaws.com/role-arn": this.roleFor(role, namespace, name).arn };
  }

  podLabels(): Record<string, string> {
    return {};
  }

  vaultSeal(): VaultSeal {
    return { type: "awskms", region: this.props.region, kmsKeyId: this.vaultKey().key.keyId };
  }

  private vaultKey(): CustomerManagedKey {
    this.unsealKey ??= new CustomerManagedKey(this, "vault-unseal-key", {
      alias: `${this.props.clusterName}-vault-unseal`,
      description: `Auto-unseals Vault on ${this.props.clusterName}`,
      accountId: this.props.accountId,
      region: this.props.region,
      preventDestroy: this.props.preventDestroy,
    });
    return this.unsealKey;
  }

  private statements(role: CloudRole): Record<string, unknown>[] {
    const cluster = this.props.clusterName;
    switch (role) {
      case "cluster-autoscaler":
        return [
          {
            Effect: "Allow",
            Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup"],
            Resource: "*",
          },
          {
            // Only the groups EKS tagged as this cluster's.
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: "owned" } },
          },
        ];
      case "vault-unseal":
        return [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], Resource: [this.vaultKey().arn] }];
      default:
        throw new Error(`AwsWorkloadIdentity: no IAM permissions are defined for '${role}'`);
    }
  }

  private roleFor(role: CloudRole, namespace: string, name: string): ServiceRole {
    const key = `${role}/${namespace}/${name}`;
    let existing = this.roles.get(key);
    if (!existing) {
      existing = new ServiceRole(this, role, {
        roleName: `${this.props.clusterName}-${role}`.slice(0, 64),
        description: `IRSA role of ${namespace}/${name} (${role}) in ${this.props.clusterName}`,
        assumeRolePolicy: serviceAccountTrust(this, `${role}-trust`, this.props.oidcProviderArn, this.props.oidcIssuerUrl, namespace, name),
        statements: this.statements(role),
      });
      this.roles.set(key, existing);
    }
    return existing;
  }
}
