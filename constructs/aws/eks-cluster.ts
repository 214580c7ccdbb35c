/**
 * A private EKS cluster: API endpoint inside the VPC (public only for an explicit allowlist),
 * secrets envelope-encrypted with a customer-managed key, all five control-plane log types to an
 * encrypted log group, access entries instead of aws-auth, an OIDC provider for IRSA, the core
 * add-ons as managed add-ons (VPC CNI with network policy enforcement, EBS CSI driver) on IRSA
 * roles, and managed node groups on a launch template that requires IMDSv2 and encrypts volumes.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { EksCluster as EksControlPlane } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { DataAwsIamRole } from "@cdktf/provider-aws/lib/data-aws-iam-role";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { CustomerManagedKey } from "./kms-key";
import { ServiceRole, serviceAccountTrust, servicePrincipalTrust } from "./service-role";

/** Every control-plane log type EKS offers. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** How a node group buys capacity. */
export class NodeCapacity {
  static onDemand(): NodeCapacity {
    return new NodeCapacity("ON_DEMAND", "on-demand");
  }
  static spot(): NodeCapacity {
    return new NodeCapacity("SPOT", "spot");
  }
  private constructor(
    /** The EKS `capacity_type`. */
    readonly capacityType: "ON_DEMAND" | "SPOT",
    /** Short name used in resource names and the node label. */
    readonly name: string,
  ) {}
}

/** One managed node group. */
export interface NodeGroupSpec {
  /** Short name, unique in the cluster: part of the group's name and its node label. */
  readonly name: string;
  readonly capacity: NodeCapacity;
  /**
   * Instance types of one shape (the same vCPU and memory; the config loader checks this): the
   * cluster autoscaler sizes the group from one of them.
   */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** Root volume size in GiB. */
  readonly diskSizeGb: number;
}

/** Properties for {@link EksCluster}. */
export interface EksClusterProps {
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly vpcId: string;
  /** Subnets of the control-plane ENIs and the nodes (private). */
  readonly subnetIds: string[];
  /**
   * Networks that may reach a public API endpoint. Empty keeps the endpoint private only;
   * `0.0.0.0/0` is refused.
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * IAM principals granted cluster-admin through access entries.
   * @default none (the identity that creates the cluster is admin)
   */
  readonly adminPrincipalArns?: readonly string[];
  readonly nodeGroups: readonly NodeGroupSpec[];
  /** @default 365 */
  readonly logRetentionDays?: number;
  /**
   * Refuse to delete the cluster (EKS deletion protection) and keep its keys on destroy.
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * EC2 Auto Scaling's service-linked role, which launches the node groups' instances and so must
   * be able to use the volume key: `create` makes it (IAM refuses when the account has it already),
   * `existing` reads the account's (the plan fails when it is missing). Either way the key's policy
   * names it only once it exists, as KMS requires.
   * @default "create"
   */
  readonly autoScalingServiceLinkedRole?: "create" | "existing";
}

export class EksCluster extends Construct {
  readonly cluster: EksControlPlane;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly nodeSecurityGroup: SecurityGroup;
  readonly nodeRole: ServiceRole;
  readonly oidcIssuerUrl: string;
  readonly clusterSecurityGroupId: string;
  readonly nodeGroups: EksNodeGroup[] = [];

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const name = props.clusterName;
    const publicCidrs = [...(props.publicAccessCidrs ?? [])];
    if (publicCidrs.some((cidr) => cidr.endsWith("/0"))) {
      throw new Error(`EksCluster '${name}': 'publicAccessCidrs' must not contain a /0 network (${publicCidrs.join(", ")})`);
    }
    for (const group of props.nodeGroups) {
      if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
        throw new Error(`EksCluster '${name}': node group '${group.name}' needs minSize <= desiredSize <= maxSize (${group.minSize}, ${group.desiredSize}, ${group.maxSize})`);
      }
    }
    const groupNames = props.nodeGroups.map((group) => group.name);
    if (new Set(groupNames).size !== groupNames.length) {
      throw new Error(`EksCluster '${name}': node group names must be unique (${groupNames.join(", ")})`);
    }
    const protect = props.deletionProtection ?? false;

    const secretsKey = new CustomerManagedKey(this, "secrets-key", {
      alias: `${name}-secrets`,
      description: `Envelope-encrypts the Kubernetes secrets of ${name}`,
      accountId: props.accountId,
      region: props.region,
      preventDestroy: protect,
    });
    const logsKey = new CustomerManagedKey(this, "logs-key", {
      alias: `${name}-logs`,
      description: `Encrypts the control-plane logs of ${name}`,
      accountId: props.accountId,
      region: props.region,
      allowCloudWatchLogs: true,
      preventDestroy: protect,
    });
    // Node groups launch instances through EC2 Auto Scaling, which attaches the encrypted volumes
    // with its service-linked role. KMS refuses a key policy naming a principal that does not exist,
    // and an account that never had an Auto Scaling group has no such role: the policy takes the
    // role's ARN from the resource that creates it (or the data source that finds it), which also
    // orders the key after it.
    const autoScalingRoleArn =
      (props.autoScalingServiceLinkedRole ?? "create") === "create"
        ? new IamServiceLinkedRole(this, "autoscaling-service-role", { awsServiceName: "autoscaling.amazonaws.com" }).arn
        : new DataAwsIamRole(this, "autoscaling-service-role", { name: "AWSServiceRoleForAutoScaling" }).arn;
    const volumesKey = new CustomerManagedKey(this, "volumes-key", {
      alias: `${name}-volumes`,
      description: `Encrypts the node and persistent volumes of ${name}`,
      accountId: props.accountId,
      region: props.region,
      resourceGrantRoleArns: [autoScalingRoleArn],
      preventDestroy: protect,
    });

    // EKS writes to /aws/eks/<name>/cluster; creating it first sets retention and encryption.
    const logGroup = new CloudwatchLogGroup(this, "control-plane-logs", {
      name: `/aws/eks/${name}/cluster`,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: logsKey.arn,
    });

    const clusterRole = new ServiceRole(this, "cluster-role", {
      roleName: `${name}-cluster`,
      description: `Control plane of ${name}`,
      assumeRolePolicy: servicePrincipalTrust("eks.amazonaws.com", { StringEquals: { "aws:SourceAccount": props.accountId } }),
      managedPolicies: ["AmazonEKSClusterPolicy"],
    });

    this.cluster = new EksControlPlane(this, "cluster", {
      name,
      roleArn: clusterRole.arn,
      version: props.kubernetesVersion,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      // The core add-ons are installed below as managed add-ons with their own IRSA roles.
      bootstrapSelfManagedAddons: false,
      // Standard support only: extended support is billed per hour and should be a decision.
      upgradePolicy: { supportType: "STANDARD" },
      deletionProtection: protect,
      dependsOn: [logGroup, clusterRole.role],
    });
    this.oidcIssuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;

    this.oidcProvider = new IamOpenidConnectProvider(this, "oidc", {
      url: this.oidcIssuerUrl,
      clientIdList: ["sts.amazonaws.com"],
    });

    for (const [index, principalArn] of (props.adminPrincipalArns ?? []).entries()) {
      const entry = new EksAccessEntry(this, `admin-${index}`, { clusterName: this.cluster.name, principalArn, type: "STANDARD" });
      new EksAccessPolicyAssociation(this, `admin-${index}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        accessScope: { type: "cluster" },
      });
    }

    // Least privilege: nodes join and pull images; the CNI's permissions sit on an IRSA role.
    this.nodeRole = new ServiceRole(this, "node-role", {
      roleName: `${name}-node`,
      description: `Worker nodes of ${name}`,
      assumeRolePolicy: servicePrincipalTrust("ec2.amazonaws.com"),
      managedPolicies: ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"],
    });
    // Carries no rules of its own: it marks the nodes, so data services can admit exactly them.
    // Node-to-node and control-plane traffic uses the cluster security group EKS manages.
    this.nodeSecurityGroup = new SecurityGroup(this, "node-sg", {
      name: `${name}-nodes`,
      description: `Marks the worker nodes of ${name} (database security groups admit this group)`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-nodes` },
    });

    const cniRole = this.irsaRole("vpc-cni-role", `${name}-vpc-cni`, "kube-system", "aws-node", ["AmazonEKS_CNI_Policy"]);
    const ebsRole = this.irsaRole("ebs-csi-role", `${name}-ebs-csi`, "kube-system", "ebs-csi-controller-sa", ["service-role/AmazonEBSCSIDriverPolicy"], [
      {
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: [volumesKey.arn],
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: [volumesKey.arn],
      },
    ]);
    const vpcCni = new EksAddon(this, "vpc-cni", {
      clusterName: this.cluster.name,
      addonName: "vpc-cni",
      serviceAccountRoleArn: cniRole.arn,
      // Enforce Kubernetes NetworkPolicy objects with the CNI's eBPF agent.
      configurationValues: Fn.jsonencode({ enableNetworkPolicy: "true" }),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
    });
    const kubeProxy = new EksAddon(this, "kube-proxy", {
      clusterName: this.cluster.name,
      addonName: "kube-proxy",
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
    });

    const launchTemplate = new LaunchTemplate(this, "node-template", {
      name: `${name}-nodes`,
      description: `Worker nodes of ${name}: IMDSv2 only, encrypted root volume`,
      updateDefaultVersion: true,
      vpcSecurityGroupIds: [this.clusterSecurityGroupId, this.nodeSecurityGroup.id],
      // Hop limit 1 keeps pods off the instance metadata service: they use IRSA instead.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      monitoring: { enabled: true },
      blockDeviceMappings: props.nodeGroups.length > 0
        ? [{ deviceName: "/dev/xvda", ebs: { volumeSize: Math.max(...props.nodeGroups.map((g) => g.diskSizeGb)), volumeType: "gp3", encrypted: "true", kmsKeyId: volumesKey.arn, deleteOnTermination: "true" } }]
        : undefined,
      tagSpecifications: [
        { resourceType: "instance", tags: { Name: `${name}-node` } },
        { resourceType: "volume", tags: { Name: `${name}-node` } },
      ],
    });

    for (const group of props.nodeGroups) {
      this.nodeGroups.push(
        new EksNodeGroup(this, `${group.name}-nodes`, {
          clusterName: this.cluster.name,
          nodeGroupName: `${name}-${group.name}`,
          nodeRoleArn: this.nodeRole.arn,
          subnetIds: props.subnetIds,
          capacityType: group.capacity.capacityType,
          instanceTypes: [...group.instanceTypes],
          amiType: "AL2023_x86_64_STANDARD",
          scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
          updateConfig: { maxUnavailablePercentage: 33 },
          launchTemplate: { id: launchTemplate.id, version: `${launchTemplate.latestVersion}` },
          labels: { "addtocloud.tech/capacity": group.capacity.name, "addtocloud.tech/node-group": group.name },
          // The cluster autoscaler owns the desired size once the group exists.
          lifecycle: { ignoreChanges: ["scaling_config[0].desired_size"] },
          dependsOn: [vpcCni, kubeProxy, this.nodeRole.role],
        }),
      );
    }

    // CoreDNS and the EBS CSI controller run as pods: they need nodes first.
    new EksAddon(this, "coredns", {
      clusterName: this.cluster.name,
      addonName: "coredns",
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: this.nodeGroups,
    });
    new EksAddon(this, "ebs-csi-driver", {
      clusterName: this.cluster.name,
      addonName: "aws-ebs-csi-driver",
      serviceAccountRoleArn: ebsRole.arn,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      dependsOn: this.nodeGroups,
    });
  }

  /** An IAM role only the service account `namespace/serviceAccount` of this cluster can assume. */
  irsaRole(id: string, roleName: string, namespace: string, serviceAccount: string, managedPolicies: readonly string[], statements?: readonly Record<string, unknown>[]): ServiceRole {
    return new ServiceRole(this, id, {
      roleName,
      description: `IRSA role of ${namespace}/${serviceAccount} in ${this.cluster.name}`,
      assumeRolePolicy: serviceAccountTrust(this, `${id}-trust`, this.oidcProvider.arn, this.oidcIssuerUrl, namespace, serviceAccount),
      managedPolicies,
      statements,
    });
  }
}
