/** The platform stacks: pinned charts, exec credentials, one mesh, production values, policies. */
import { Testing } from "cdktf";
import { parse } from "yaml";
import { AzureClusterContract, DigitalOceanClusterContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { buildPlatformStack } from "../../stacks/platform";
import { onlyResource, resourcesOf, shippedEnvironment, stackOf, synthJson, TerraformJson } from "../support/synth";

const production = shippedEnvironment("production");
const staging = shippedEnvironment("staging");
const synth = (env: typeof production, cloud: string) => synthJson(stackOf([env], `${env.name}-${cloud}-platform`));
const prodAws = synth(production, "aws");
const prodGcp = synth(production, "gcp");
const stagingAws = synth(staging, "aws");

const releases = (json: TerraformJson) => Object.values(resourcesOf(json, "helm_release")) as any[];
const release = (json: TerraformJson, name: string) => {
  const found = releases(json).find((r) => r.name === name);
  if (!found) throw new Error(`no release ${name}; have ${releases(json).map((r) => r.name).join(", ")}`);
  return found;
};
const values = (json: TerraformJson, name: string) => parse(release(json, name).values[0]);

describe("every platform stack", () => {
  test.each([["production-aws", prodAws], ["production-gcp", prodGcp], ["staging-aws", stagingAws]])("%s pins every chart to an exact version of an https (or OCI) repository", (_id, json) => {
    expect(releases(json).length).toBeGreaterThan(15);
    for (const r of releases(json)) {
      expect(r.version).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(r.repository).toMatch(/^(https|oci):\/\//);
      expect(r.atomic).toBe(true);
    }
  });

  test("providers authenticate with exec credentials, never a stored token or kubeconfig", () => {
    for (const json of [prodAws, prodGcp]) {
      const helm = json.provider!.helm[0].kubernetes;
      const kube = json.provider!.kubernetes[0];
      expect(helm.exec.command).toBe(kube.exec[0].command);
      for (const config of [helm, kube]) {
        expect(config.token).toBeUndefined();
        expect(config.config_path).toBeUndefined();
        expect(config.host).toMatch(/^\$\{data\.terraform_remote_state\.\w+_cluster\.outputs\.cluster_endpoint\}$/);
      }
    }
    expect(prodAws.provider!.kubernetes[0].exec[0]).toMatchObject({ command: "aws", args: expect.arrayContaining(["eks", "get-token"]) });
    expect(prodGcp.provider!.kubernetes[0].exec[0].command).toBe("gke-gcloud-auth-plugin");
  });

  test("AKS and DOKS platform stacks use kubelogin and doctl exec credentials", () => {
    const app = Testing.app();
    const azureCluster = new LayerStack(app, { env: production, cloud: "azure", layer: "cluster" });
    AzureClusterContract.publish(azureCluster, AzureClusterContract.defaults() as never);
    const doCluster = new LayerStack(app, { env: production, cloud: "digitalocean", layer: "cluster" });
    DigitalOceanClusterContract.publish(doCluster, DigitalOceanClusterContract.defaults() as never);
    const azure = JSON.parse(Testing.synth(buildPlatformStack(app, production, "azure", azureCluster)!));
    const doks = JSON.parse(Testing.synth(buildPlatformStack(app, production, "digitalocean", doCluster)!));
    expect(azure.provider.kubernetes[0].exec[0]).toMatchObject({ command: "kubelogin", args: expect.arrayContaining(["get-token", "--server-id"]) });
    expect(doks.provider.kubernetes[0].exec[0]).toMatchObject({ command: "doctl", args: expect.arrayContaining(["exec-credential", "${data.terraform_remote_state.digitalocean_cluster.outputs.cluster_id}"]) });
  });
});

describe("the mesh", () => {
  test("every cluster shares one mesh id and trust domain, with its own cluster name and network", () => {
    const istiod = [prodAws, prodGcp].map((json) => values(json, "istiod"));
    expect(new Set(istiod.map((v) => v.global.meshID))).toEqual(new Set(["addtocloud-mesh"]));
    expect(new Set(istiod.map((v) => v.meshConfig.trustDomain))).toEqual(new Set(["addtocloud.tech"]));
    expect(istiod.map((v) => v.global.multiCluster.clusterName)).toEqual(["production-aws", "production-gcp"]);
    expect(istiod.map((v) => v.global.network)).toEqual(["network-aws", "network-gcp"]);
  });

  test("has an east-west gateway with cross-network passthrough and strict mTLS", () => {
    expect(values(prodAws, "istio-eastwestgateway").labels["topology.istio.io/network"]).toBe("network-aws");
    const policy = values(prodAws, "mesh-policy").resources;
    expect(policy.find((m: any) => m.kind === "PeerAuthentication").spec.mtls.mode).toBe("STRICT");
    expect(policy.find((m: any) => m.kind === "Gateway").spec.servers[0].tls.mode).toBe("AUTO_PASSTHROUGH");
  });

  test("no CA key is in any stack: istiod reads the out-of-band cacerts secret", () => {
    for (const json of [prodAws, prodGcp]) expect(JSON.stringify(json)).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY|ca-key\.pem/);
  });
});

describe("production values", () => {
  test("Vault is HA on Raft with 3 replicas in production and 1 in staging, auto-unsealed by the cloud's KMS", () => {
    const prod = values(prodAws, "vault").server;
    expect(prod.ha).toMatchObject({ enabled: true, replicas: 3, raft: { enabled: true } });
    expect(prod.ha.raft.config).toContain('seal "awskms"');
    expect(prod.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role\./);
    expect(values(stagingAws, "vault").server.ha.replicas).toBe(1);
    expect(values(prodGcp, "vault").server.ha.raft.config).toContain('seal "gcpckms"');
  });

  test("on EKS the AWS Load Balancer Controller makes the gateways' NLBs, under an IRSA role limited to this cluster's tagged resources", () => {
    const controller = values(prodAws, "aws-load-balancer-controller");
    expect(controller).toMatchObject({ clusterName: "${data.terraform_remote_state.aws_cluster.outputs.cluster_name}", vpcId: "${data.terraform_remote_state.aws_cluster.outputs.vpc_id}", enableServiceMutatorWebhook: false, replicaCount: 2 });
    expect(controller.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/aws_iam_role\./);
    const gateway = release(prodAws, "istio-ingressgateway");
    expect(gateway.depends_on).toEqual(expect.arrayContaining([expect.stringContaining("aws-load-balancer-controller")]));
    const annotations = parse(gateway.values[0]).service.annotations;
    expect(annotations).toMatchObject({ "service.beta.kubernetes.io/aws-load-balancer-type": "external", "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip", "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" });
    const policy = Object.values(resourcesOf(prodAws, "aws_iam_role_policy")).find((p: any) => String(p.name).endsWith("aws-load-balancer-controller")).policy as string;
    expect(policy).toContain('"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"], "Resource" = "*", "Condition" = {"StringEquals" = {"aws:RequestTag/elbv2.k8s.aws/cluster" = "addtocloud-production-eks"}}');
    expect(policy).not.toMatch(/wafv2|shield|cognito/);
    // Ingress rules only on the nodes' security groups, never every group in the account.
    expect(policy).toContain('{"Effect" = "Allow", "Action" = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], "Resource" = ["arn:aws:ec2:us-east-1:111111111111:security-group/${data.terraform_remote_state.aws_cluster.outputs.node_security_group_id}", "arn:aws:ec2:us-east-1:111111111111:security-group/${data.terraform_remote_state.aws_cluster.outputs.cluster_security_group_id}"]}');
    expect(policy).not.toMatch(/"Action" = \["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"\], "Resource" = "\*"/);
    // Switched off, the gateways fall back to the in-tree NLB.
    const without = shippedEnvironment("production", (input) => {
      input.platform = { ...input.platform, addons: { "aws-load-balancer-controller": false } };
    });
    const fallback = synthJson(stackOf([without], "production-aws-platform"));
    expect(releases(fallback).map((r) => r.name)).not.toContain("aws-load-balancer-controller");
    expect(parse(release(fallback, "istio-ingressgateway").values[0]).service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]).toBe("nlb");
  });

  test("on AKS, Vault unseals with a Key Vault HSM key through a federated identity of its service account only", () => {
    const prodAzure = synth(production, "azure");
    const vault = values(prodAzure, "vault").server;
    expect(vault.ha.raft.config).toContain('seal "azurekeyvault"');
    expect(vault.extraLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(vault.serviceAccount.annotations["azure.workload.identity/client-id"]).toMatch(/^\$\{azurerm_user_assigned_identity\.[\w-]+\.client_id\}$/);
    expect(onlyResource(prodAzure, "azurerm_federated_identity_credential")).toMatchObject({
      subject: "system:serviceaccount:vault:vault",
      issuer: "${data.terraform_remote_state.azure_cluster.outputs.oidc_issuer_url}",
      audience: ["api://AzureADTokenExchange"],
    });
    const keyUser = Object.values(resourcesOf(prodAzure, "azurerm_role_assignment")).find((r: any) => r.role_definition_name === "Key Vault Crypto User");
    expect(keyUser.scope).toMatch(/^\$\{azurerm_key_vault_key\.[\w-]+\.resource_versionless_id\}$/);
    expect(onlyResource(prodAzure, "azurerm_key_vault")).toMatchObject({
      purge_protection_enabled: true,
      // Reached through its private endpoint in the VNet (keyVaultAccess 'private-endpoint'), not publicly.
      public_network_access_enabled: false,
      network_acls: { default_action: "Deny", ip_rules: [] },
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(prodAzure, "azurerm_private_endpoint").subnet_id).toBe("${data.terraform_remote_state.azure_cluster.outputs.endpoints_subnet_id}");
    expect(onlyResource(prodAzure, "azurerm_key_vault_key").key_type).toBe("RSA-HSM");
  });

  test("Prometheus keeps 30 days in production and 7 in staging; clusters other than the hub remote-write to it", () => {
    expect(values(prodAws, "kube-prometheus-stack").prometheus.prometheusSpec.retention).toBe("30d");
    expect(values(stagingAws, "kube-prometheus-stack").prometheus.prometheusSpec.retention).toBe("7d");
    expect(values(prodAws, "kube-prometheus-stack").prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(true);
    // One write per hub replica (production runs two), each to a Service selecting that replica's pod alone.
    expect(values(prodGcp, "kube-prometheus-stack").prometheus.prometheusSpec.remoteWrite.map((w: any) => w.url)).toEqual([
      "http://metrics-hub-0.monitoring.svc.cluster.local:9090/api/v1/write",
      "http://metrics-hub-1.monitoring.svc.cluster.local:9090/api/v1/write",
    ]);
  });

  test("only the hub runs Grafana, Loki and Jaeger", () => {
    expect(values(prodAws, "kube-prometheus-stack").grafana.enabled).toBe(true);
    expect(values(prodGcp, "kube-prometheus-stack").grafana.enabled).toBe(false);
    expect(releases(prodAws).map((r) => r.name)).toEqual(expect.arrayContaining(["loki", "jaeger"]));
    expect(releases(prodGcp).map((r) => r.name)).not.toContain("loki");
  });

  test("Argo CD syncs this cloud's overlay of the GitOps repository", () => {
    const app = values(prodGcp, "app-of-apps").applications["production-gcp"];
    expect(app.source).toEqual({ repoURL: "https://github.com/addtocloud/platform.git", targetRevision: "main", path: "k8s/overlays/gcp" });
    expect(app.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test("the cluster-autoscaler runs on EKS with an IRSA role scoped to this cluster's groups", () => {
    expect(releases(prodAws).map((r) => r.name)).toContain("cluster-autoscaler");
    expect(releases(prodGcp).map((r) => r.name)).not.toContain("cluster-autoscaler");
    const policies = Object.values(resourcesOf(prodAws, "aws_iam_role_policy")).map((p: any) => p.policy as string);
    // The key names the cluster literally: EKS tags its node groups' Auto Scaling groups
    // k8s.io/cluster-autoscaler/<cluster> = owned, and a token in a key would not be interpolated.
    expect(policies.some((p) => p.includes('"aws:ResourceTag/k8s.io/cluster-autoscaler/addtocloud-production-eks" = "owned"') && p.includes("autoscaling:SetDesiredCapacity"))).toBe(true);
  });
});

describe("policies", () => {
  test("Gatekeeper's baseline constraints install in the same deploy, after their templates", () => {
    const constraints = release(prodAws, "gatekeeper-constraints");
    expect(constraints.depends_on[0]).toMatch(/helm_release\.addons_gatekeeper_templates/);
    const kinds = values(prodAws, "gatekeeper-constraints").resources.map((c: any) => c.kind);
    expect(kinds).toEqual(["K8sBlockPrivileged", "K8sRequiredLabels", "K8sAllowedRepos"]);
    expect(values(prodAws, "gatekeeper-constraints").resources[0].spec.enforcementAction).toBe("deny");
    expect(values(stagingAws, "gatekeeper-constraints").resources[0].spec.enforcementAction).toBe("warn");
  });

  test("application namespaces deny all traffic by default and allow DNS, the mesh and the gateways", () => {
    const names = (Object.values(resourcesOf(prodAws, "kubernetes_network_policy_v1")) as any[]).map((p) => p.metadata.name);
    expect(names).toEqual(expect.arrayContaining(["default-deny-all", "allow-dns", "allow-mesh-control-plane", "allow-from-gateways"]));
    const deny = (Object.values(resourcesOf(prodAws, "kubernetes_network_policy_v1")) as any[]).find((p) => p.metadata.name === "default-deny-all");
    expect(deny.spec.policy_types).toEqual(["Ingress", "Egress"]);
    expect(deny.spec.ingress).toBeUndefined();
  });

  test("an add-on switched off for one cloud disappears from that cloud only", () => {
    const env = shippedEnvironment("production", (input) => {
      input.platform = { ...input.platform, cloudAddons: { gcp: { falco: false } }, addons: { "api-gateway": true } };
    });
    expect(releases(synth(env, "gcp")).map((r) => r.name)).not.toContain("falco");
    expect(releases(synth(env, "aws")).map((r) => r.name)).toEqual(expect.arrayContaining(["falco", "emissary-ingress"]));
  });
});

describe("the platform contract", () => {
  test("publishes the ingress gateway's load balancer address: a hostname on AWS, an IP elsewhere", () => {
    expect(prodAws.output?.ingress_address.value).toMatch(/data\.kubernetes_service_v1\.ingress-service\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.hostname/);
    expect(prodAws.output?.ingress_address_type.value).toBe("hostname");
    expect(prodGcp.output?.ingress_address.value).toMatch(/\.ip\}$/);
    expect(prodGcp.output?.ingress_address_type.value).toBe("ip");
  });
});
