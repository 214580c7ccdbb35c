/** The AWS cluster stack: private EKS with encrypted secrets, full logs, IRSA and hardened node groups. */
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson } from "../support/synth";

const json = synthJson(stackOf([shippedEnvironment("production")], "production-aws-cluster"));
const eks = onlyResource(json, "aws_eks_cluster");
const nodeGroups = Object.values(resourcesOf(json, "aws_eks_node_group")) as any[];

describe("production-aws-cluster", () => {
  test("the API endpoint is private only when no allowlist is configured", () => {
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test("a configured allowlist opens the public endpoint to exactly those networks", () => {
    const env = shippedEnvironment("production", (input) => {
      input.clouds.aws!.cluster.publicAccessCidrs = ["203.0.113.0/24"];
    });
    const open = onlyResource(synthJson(stackOf([env], "production-aws-cluster")), "aws_eks_cluster");
    expect(open.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  test("a world-open allowlist is refused at config load", () => {
    expect(() =>
      shippedEnvironment("production", (input) => {
        input.clouds.aws!.cluster.publicAccessCidrs = ["0.0.0.0/0"];
      }),
    ).toThrow(/clouds\.aws\.cluster\.publicAccessCidrs/);
  });

  test("envelope-encrypts secrets with a customer-managed key", () => {
    expect(eks.encryption_config.resources).toEqual(["secrets"]);
    expect(eks.encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\.eks_secrets-key_\w+\.arn\}$/);
  });

  test("ships all five control-plane log types to an encrypted log group kept a year", () => {
    expect(eks.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    const group = onlyResource(json, "aws_cloudwatch_log_group");
    expect(group.name).toBe("/aws/eks/addtocloud-production-eks/cluster");
    expect(group.retention_in_days).toBe(365);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\.eks_logs-key/);
  });

  test("uses access entries, not the aws-auth ConfigMap", () => {
    expect(eks.access_config.authentication_mode).toBe("API");
  });

  test("configured admins get cluster-admin through access entries", () => {
    const env = shippedEnvironment("production", (input) => {
      input.clouds.aws!.cluster.adminPrincipalArns = ["arn:aws:iam::111111111111:role/platform-admin"];
    });
    const withAdmin = synthJson(stackOf([env], "production-aws-cluster"));
    expect(onlyResource(withAdmin, "aws_eks_access_entry").principal_arn).toBe("arn:aws:iam::111111111111:role/platform-admin");
    expect(onlyResource(withAdmin, "aws_eks_access_policy_association")).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
  });

  test("has deletion protection in production", () => {
    expect(eks.deletion_protection).toBe(true);
  });

  test("registers an OIDC provider for IRSA", () => {
    expect(onlyResource(json, "aws_iam_openid_connect_provider").client_id_list).toEqual(["sts.amazonaws.com"]);
  });

  test("runs the seed's c5 and m5 mix as on-demand and spot groups of one shape each, with the configured bounds", () => {
    const byName = Object.fromEntries(nodeGroups.map((g) => [g.node_group_name, g]));
    expect(Object.keys(byName).sort()).toEqual(["c5", "c5-spot", "m5", "m5-spot"].map((n) => `addtocloud-production-eks-${n}`).sort());
    expect(byName["addtocloud-production-eks-c5"]).toMatchObject({ capacity_type: "ON_DEMAND", instance_types: ["c5.large"], scaling_config: { min_size: 2, desired_size: 2, max_size: 5 } });
    expect(byName["addtocloud-production-eks-m5"]).toMatchObject({ capacity_type: "ON_DEMAND", instance_types: ["m5.large"], scaling_config: { min_size: 1, desired_size: 1, max_size: 5 } });
    expect(byName["addtocloud-production-eks-c5-spot"]).toMatchObject({ capacity_type: "SPOT", instance_types: ["c5.large", "c5a.large", "c6i.large"] });
    expect(byName["addtocloud-production-eks-m5-spot"]).toMatchObject({ capacity_type: "SPOT", instance_types: ["m5.large", "m5a.large", "m6i.large"] });
    for (const group of nodeGroups) expect(group.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
  });

  test("the volume key's policy names the Auto Scaling service-linked role only through the resource that creates it", () => {
    const role = onlyResource(json, "aws_iam_service_linked_role");
    expect(role.aws_service_name).toBe("autoscaling.amazonaws.com");
    const key = Object.entries(resourcesOf(json, "aws_kms_key")).find(([id]) => id.startsWith("eks_volumes-key"))![1] as any;
    expect(key.policy).toMatch(/"AWS" = \[aws_iam_service_linked_role\.eks_autoscaling-service-role_\w+\.arn\]/);
    expect(key.policy).not.toContain("role/aws-service-role/autoscaling.amazonaws.com");
  });

  test("an account that already has the Auto Scaling role adopts it instead of creating it", () => {
    const env = shippedEnvironment("production", (input) => {
      input.clouds.aws!.autoScalingServiceLinkedRole = "existing";
    });
    const adopted = synthJson(stackOf([env], "production-aws-cluster"));
    expect(resourcesOf(adopted, "aws_iam_service_linked_role")).toEqual({});
    const data = Object.values(adopted.data?.aws_iam_role ?? {}) as any[];
    expect(data.map((d) => d.name)).toEqual(["AWSServiceRoleForAutoScaling"]);
    const key = Object.entries(resourcesOf(adopted, "aws_kms_key")).find(([id]) => id.startsWith("eks_volumes-key"))![1] as any;
    expect(key.policy).toMatch(/"AWS" = \[data\.aws_iam_role\.eks_autoscaling-service-role_\w+\.arn\]/);
  });

  test("runs the configured Kubernetes version with standard support only", () => {
    expect(eks.version).toBe("1.35");
    expect(eks.upgrade_policy).toEqual({ support_type: "STANDARD" });
  });

  test("nodes launch from a template that requires IMDSv2 and encrypts volumes with a customer-managed key", () => {
    const template = onlyResource(json, "aws_launch_template");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
    expect(template.block_device_mappings[0].ebs.kms_key_id).toMatch(/^\$\{aws_kms_key\.eks_volumes-key/);
    for (const group of nodeGroups) expect(group.launch_template.id).toMatch(/aws_launch_template\./);
  });

  test("the node role is least privilege: join and pull images only, the CNI on its own IRSA role", () => {
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")) as any[];
    const nodePolicies = attachments.filter((a) => a.role.includes("eks_node-role")).map((a) => a.policy_arn);
    expect(nodePolicies.sort()).toEqual(["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]);
    const cni = attachments.find((a) => a.policy_arn.endsWith("/AmazonEKS_CNI_Policy"));
    expect(cni.role).toMatch(/eks_vpc-cni-role/);
  });

  test("IRSA roles trust one service account of this cluster only", () => {
    const documents = resourcesOf({ ...json, resource: json.data } as any, "aws_iam_policy_document") as Record<string, any>;
    const cni = Object.entries(documents).find(([id]) => id.startsWith("eks_vpc-cni-role-trust"))![1];
    const conditions = cni.statement[0].condition;
    expect(conditions.map((c: any) => c.values[0])).toEqual(["system:serviceaccount:kube-system:aws-node", "sts.amazonaws.com"]);
  });

  test("the VPC CNI enforces Kubernetes network policies", () => {
    const cni = Object.values(resourcesOf(json, "aws_eks_addon")).find((a: any) => a.addon_name === "vpc-cni") as any;
    expect(cni.configuration_values).toContain('"enableNetworkPolicy" = "true"');
  });

  test("reads the network through its contract, not cross-stack references", () => {
    expect(eks.vpc_config.subnet_ids).toBe("${data.terraform_remote_state.aws_network.outputs.private_subnet_ids}");
    expect(JSON.stringify(json)).not.toContain("cross-stack-output");
  });

  test("publishes the cluster contract including the IRSA provider and the node security group", () => {
    expect(Object.keys(json.output ?? {})).toEqual(
      expect.arrayContaining(["cluster_name", "cluster_endpoint", "cluster_ca_certificate", "oidc_issuer_url", "oidc_provider_arn", "node_security_group_id"]),
    );
  });
});
