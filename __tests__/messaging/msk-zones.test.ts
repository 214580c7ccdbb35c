/**
 * MSK takes two or three client subnets in distinct zones (Standard brokers) and a broker count that
 * is a multiple of their number: every AWS messaging stack of every shipped environment, and of a
 * network over as many zones as config allows (up to the zones EKS supports in the region: 5 in us-east-1), must hand it exactly that, or the first
 * apply is refused by the MSK API.
 */
import { App, TerraformStack } from "cdktf";
import { MskKafkaCluster } from "../../constructs/aws/msk-cluster";
import { EnvironmentConfig } from "../../modules/config/environment";
import { buildStacks, onlyResource, shippedEnvironment, shippedEnvironments, synthJson } from "../support/synth";

const SHIPPED = shippedEnvironments();
/** Every AWS network shape config accepts for MSK's purpose: the shipped ones, two zones, and the most config allows. */
const AWS_SHAPES: [string, EnvironmentConfig][] = [
  ...SHIPPED.map((env): [string, EnvironmentConfig] => [`${env.name} as shipped`, env]),
  ...[2, 4, 5].map((azCount): [string, EnvironmentConfig] => [
    `production over ${azCount} zones`,
    shippedEnvironment("production", (c: any) => {
      c.clouds.aws.network.azCount = azCount;
    }),
  ]),
];

const SUBNETS = "data.terraform_remote_state.aws_network.outputs.private_subnet_ids";

describe("MSK gets the two or three client subnets it accepts", () => {
  test.each(AWS_SHAPES)("%s: every AWS messaging stack hands MSK 2-3 zones and a broker count they divide", (_what, env) => {
    const { stacks } = buildStacks([env]);
    const ids = [...stacks.keys()].filter((id) => id.endsWith("-aws-messaging"));
    expect(ids.length).toBeGreaterThan(0);
    const azCount = env.clouds.aws!.network.azCount;
    for (const id of ids) {
      const msk = onlyResource(synthJson(stacks.get(id)!), "aws_msk_cluster");
      const subnets: string = msk.broker_node_group_info.client_subnets;
      // Either the network's whole list (only when it spans 2-3 zones) or its first three.
      const zones = subnets === `\${${SUBNETS}}` ? azCount : subnets === `\${slice(${SUBNETS}, 0, 3)}` ? 3 : NaN;
      expect([2, 3]).toContain(zones);
      expect(msk.number_of_broker_nodes % zones).toBe(0);
    }
  });

  test.each([1, 4])("the construct refuses %i zones with what MSK accepts", (zoneCount) => {
    const stack = new TerraformStack(new App(), "msk");
    expect(
      () =>
        new MskKafkaCluster(stack, "kafka", {
          clusterName: "c",
          kafkaVersion: "3.8.x",
          instanceType: "kafka.m5.large",
          subnetIds: ["a", "b", "c", "d"].slice(0, zoneCount),
          zoneCount,
          vpcId: "vpc",
          clientSecurityGroupId: "sg",
          kmsKeyArn: "arn",
        }),
    ).toThrow(`MskKafkaCluster 'c': 'zoneCount' (${zoneCount}) must be 2 or 3: MSK takes two or three client subnets, one per zone`);
  });
});
