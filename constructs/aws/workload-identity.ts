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
  /** Security groups on the nodes' interfaces, where load balancer traffic must be admitted. */
  readonly nodeSecurityGroupIds: readonly string[];
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
      case "aws-load-balancer-controller": {
        const { accountId, region, nodeSecurityGroupIds } = this.props;
        return loadBalancerControllerStatements(cluster, nodeSecurityGroupIds.map((id) => `arn:aws:ec2:${region}:${accountId}:security-group/${id}`));
      }
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

/**
 * The AWS Load Balancer Controller's permissions for Network Load Balancers, after the upstream
 * policy (docs/install/iam_policy.json) but without the ALB-only WAF, Shield and Cognito parts,
 * with every write limited to resources tagged `elbv2.k8s.aws/cluster=<this cluster>`, and
 * ingress rules only on the nodes' security groups.
 */
function loadBalancerControllerStatements(cluster: string, nodeSecurityGroupArns: readonly string[]): Record<string, unknown>[] {
  const ownTag = { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": cluster } };
  const tagsOnCreate = { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": cluster } };
  return [
    {
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones", "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeCapacityReservation",
        "acm:ListCertificates", "acm:DescribeCertificate",
      ],
      Resource: "*",
    },
    // Security groups for the load balancers: created tagged, then changed only when tagged.
    { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", "aws:RequestTag/elbv2.k8s.aws/cluster": cluster } },
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: ownTag,
    },
    // The nodes' security groups admit the load balancers' traffic (they are not tagged as the
    // controller's): only those groups, where upstream allows every group in the account.
    { Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: [...nodeSecurityGroupArns] },
    // Load balancers and target groups: created with the cluster tag, then managed only when tagged.
    { Effect: "Allow", Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], Resource: "*", Condition: tagsOnCreate },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags"],
      Resource: ["arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*"],
      Condition: { StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"], "aws:RequestTag/elbv2.k8s.aws/cluster": cluster } },
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
        "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListenerAttributes",
      ],
      Resource: ["arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*"],
      Condition: ownTag,
    },
    {
      // Listeners carry no tags of their own; they belong to the load balancers above.
      Effect: "Allow",
      Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
    },
  ];
}
