import { Testing } from "cdktf";
import { Contract } from "../../modules/contracts/contract";
import { EnvironmentConfig } from "../../modules/config/environment";
import { LayerStack } from "../../modules/layer-stack";
import { TerraformJson, shippedEnvironment, synthHclFormatted } from "../support/synth";

const Demo = new Contract("demo", {
  thing_id: { type: "string", description: "Id of the thing", default: "pending" },
  thing_ids: { type: "list", description: "Ids of the things", default: ["a"] },
  thing_port: { type: "number", description: "Port of the thing", default: 5432 },
});

function pair(producerEnv: EnvironmentConfig, consumerEnv: EnvironmentConfig = producerEnv) {
  const app = Testing.app();
  const producer = new LayerStack(app, { env: producerEnv, cloud: "aws", layer: "network" });
  Demo.publish(producer, { thing_id: "vpc-1", thing_ids: ["a", "b"], thing_port: 1 });
  const consumer = new LayerStack(app, { env: consumerEnv, cloud: "gcp", layer: "cluster" });
  const view = consumer.read(Demo, producer);
  Demo.publish(consumer, { thing_id: view.thing_id, thing_ids: view.thing_ids, thing_port: view.thing_port });
  const json = (stack: LayerStack) => JSON.parse(Testing.synth(stack)) as TerraformJson;
  return { app, producer, consumer, producerJson: json(producer), consumerJson: json(consumer) };
}

const local = shippedEnvironment("staging");
const withState = (state: any, cloudState?: { gcp?: any }) =>
  shippedEnvironment("staging", (input) => {
    input.state = state;
    if (cloudState?.gcp) input.clouds.gcp!.state = cloudState.gcp;
  });

describe("stack contracts", () => {
  test("the producer publishes named outputs with descriptions, not sensitive", () => {
    const { producerJson } = pair(local);
    expect(producerJson.output).toEqual({
      thing_id: { value: "vpc-1", description: "Id of the thing", sensitive: false },
      thing_ids: { value: ["a", "b"], description: "Ids of the things", sensitive: false },
      thing_port: { value: 1, description: "Port of the thing", sensitive: false },
    });
    expect(Object.keys(producerJson.output!).some((name) => name.startsWith("cross-stack-output"))).toBe(false);
  });

  test("the consumer reads the producer's local state file with defaults for every output", () => {
    const { consumerJson } = pair(local);
    const remote = consumerJson.data!.terraform_remote_state.aws_network;
    expect(remote.backend).toBe("local");
    expect(remote.config.path).toBe("../../../terraform-state/staging-aws-network.tfstate");
    expect(remote.defaults).toEqual({ thing_id: "pending", thing_ids: ["a"], thing_port: 5432 });
    expect(consumerJson.output!.thing_id.value).toBe("${data.terraform_remote_state.aws_network.outputs.thing_id}");
  });

  test("a field's placeholder for the producer's cloud replaces its default; other clouds get the default", () => {
    const Shaped = new Contract("shaped", {
      network: { type: "string", description: "Network", default: "vpc-00000000000000000", placeholders: { gcp: "projects/p/global/networks/n" } },
    });
    expect(Shaped.defaults("gcp")).toEqual({ network: "projects/p/global/networks/n" });
    expect(Shaped.defaults("aws")).toEqual({ network: "vpc-00000000000000000" });
  });

  test("in review mode the consumer reads typed placeholder locals, not the producer's state", () => {
    const app = Testing.app({ context: { "addtocloud:review": true } });
    const producer = new LayerStack(app, { env: local, cloud: "aws", layer: "network" });
    Demo.publish(producer, { thing_id: "vpc-1", thing_ids: ["a", "b"], thing_port: 1 });
    const consumer = new LayerStack(app, { env: local, cloud: "gcp", layer: "cluster" });
    const view = consumer.read(Demo, producer);
    Demo.publish(consumer, { thing_id: view.thing_id, thing_ids: view.thing_ids, thing_port: view.thing_port });
    const json = JSON.parse(Testing.synth(consumer)) as TerraformJson;
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(json.locals).toEqual({ aws_network__thing_id: "pending", aws_network__thing_ids: ["a"], aws_network__thing_port: 5432 });
    expect(json.output!.thing_id.value).toBe("${local.aws_network__thing_id}");
    expect(consumer.dependencies).toContain(producer);
  });

  test("the consumer records its dependency on the producer for deploy ordering", () => {
    const { consumer, producer } = pair(local);
    expect(consumer.dependencies).toContain(producer);
  });

  test("a GCS-backed consumer reads an S3-backed producer at the producer's bucket and key", () => {
    const s3 = { type: "s3", bucket: "acme-state", region: "us-east-1", keyPrefix: "platform/" };
    const env = withState(s3, { gcp: { type: "gcs", bucket: "acme-gcp-state" } });
    const { consumerJson, producerJson } = pair(env);
    expect(producerJson.terraform.backend.s3).toMatchObject({ bucket: "acme-state", key: "platform/staging-aws-network.tfstate", encrypt: true, use_lockfile: true });
    expect(consumerJson.terraform.backend.gcs).toEqual({ bucket: "acme-gcp-state", prefix: "staging-gcp-cluster" });
    const remote = consumerJson.data!.terraform_remote_state.aws_network;
    expect(remote.backend).toBe("s3");
    expect(remote.config).toEqual({ bucket: "acme-state", key: "platform/staging-aws-network.tfstate", region: "us-east-1" });
  });

  test("HCP Terraform state uses one workspace per stack and reads through the remote backend", () => {
    const env = withState({ type: "cloud", organization: "addtocloud", workspacePrefix: "atc-" });
    const { consumerJson, producerJson } = pair(env);
    expect(producerJson.terraform.cloud).toEqual({ hostname: "app.terraform.io", organization: "addtocloud", workspaces: { name: "atc-staging-aws-network" } });
    const remote = consumerJson.data!.terraform_remote_state.aws_network;
    expect(remote.backend).toBe("remote");
    expect(remote.config).toEqual({ hostname: "app.terraform.io", organization: "addtocloud", workspaces: { name: "atc-staging-aws-network" } });
  });

  test("azurerm state keys derive from the stack id", () => {
    const env = withState({ type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "acmestate", containerName: "tfstate" });
    const { producerJson } = pair(env);
    expect(producerJson.terraform.backend.azurerm).toMatchObject({ storage_account_name: "acmestate", container_name: "tfstate", key: "staging-aws-network.tfstate", use_azuread_auth: true });
  });

  test("a producer that leaves out an output fails with the contract and field named", () => {
    const app = Testing.app();
    const stack = new LayerStack(app, { env: local, cloud: "aws", layer: "network" });
    expect(() => Demo.publish(stack, { thing_id: "x", thing_ids: [] } as any)).toThrow("contract 'demo': stack 'staging-aws-network' does not publish 'thing_port'");
  });

  test("output names must be snake_case and described", () => {
    expect(() => new Contract("bad", { VpcId: { type: "string", description: "x", default: "" } })).toThrow("output name 'VpcId' must be snake_case");
    expect(() => new Contract("bad", { vpc_id: { type: "string", description: " ", default: "" } })).toThrow("output 'vpc_id' needs a description");
  });

  test("the remote state renders as readable HCL", async () => {
    const { consumer } = pair(local);
    const hcl = await synthHclFormatted(consumer);
    expect(hcl).toContain('data "terraform_remote_state" "aws_network"');
  });
});
