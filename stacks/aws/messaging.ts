/**
 * `<env>-aws-messaging`: Amazon MSK (Kafka, IAM auth) and Amazon MQ for RabbitMQ in the network's
 * private subnets, admitted only from the EKS nodes. A layer of its own so brokers and databases
 * deploy and change independently (docs/messaging.md).
 */
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { CustomerManagedKey } from "../../constructs/aws/kms-key";
import { MSK_IAM_PORT, MSK_MAX_ZONES, MskKafkaCluster } from "../../constructs/aws/msk-cluster";
import { awsProvider } from "../../constructs/aws/provider";
import { AMQPS_PORT, RabbitMqBroker } from "../../constructs/aws/rabbitmq-broker";
import { AwsConfig, awsAvailabilityZoneIds } from "../../modules/config/clouds/aws";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { messagingOn } from "../../modules/config/messaging";
import { AwsClusterContract, AwsNetworkContract, MessagingContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { resourceName } from "../../modules/naming";

export function buildAwsMessaging(scope: Construct, env: EnvironmentConfig, aws: AwsConfig, networkStack: LayerStack, clusterStack: LayerStack): LayerStack | undefined {
  const kafkaOn = messagingOn(env, "aws", "kafka");
  const rabbitOn = messagingOn(env, "aws", "rabbitmq");
  if (!kafkaOn && !rabbitOn) return undefined;
  const stack = new LayerStack(scope, { env, cloud: "aws", layer: "messaging" });
  awsProvider(stack, aws);
  const network = stack.read(AwsNetworkContract, networkStack);
  const cluster = stack.read(AwsClusterContract, clusterStack);
  const m = env.messaging.aws;
  const production = stack.production;
  const key = new CustomerManagedKey(stack, "messaging-key", {
    alias: resourceName(env, ["messaging"]),
    description: `Encrypts the Kafka brokers' storage, broker logs and broker credentials of ${env.name}`,
    accountId: aws.accountId,
    region: aws.region,
    allowCloudWatchLogs: true,
    preventDestroy: production,
  });

  const zones = awsAvailabilityZoneIds(aws).length;
  const kafka = kafkaOn
    ? new MskKafkaCluster(stack, "kafka", {
        clusterName: resourceName(env, ["kafka"], 64),
        kafkaVersion: m.kafka.kafkaVersion,
        instanceType: m.kafka.instanceType ?? (production ? "kafka.m5.large" : "kafka.t3.small"),
        // MSK takes two or three client subnets: a network over more zones gives it its first three.
        subnetIds: zones > MSK_MAX_ZONES ? Token.asList(Fn.slice(network.private_subnet_ids, 0, MSK_MAX_ZONES)) : network.private_subnet_ids,
        zoneCount: Math.min(zones, MSK_MAX_ZONES),
        brokersPerZone: m.kafka.brokersPerZone,
        vpcId: network.vpc_id,
        clientSecurityGroupId: cluster.node_security_group_id,
        kmsKeyArn: key.arn,
        volumeSizeGb: m.kafka.volumeSizeGb,
        logRetentionDays: m.kafka.logRetentionDays,
        preventDestroy: production,
      })
    : undefined;

  let rabbit: RabbitMqBroker | undefined;
  if (rabbitOn) {
    new RandomProvider(stack, "random");
    rabbit = new RabbitMqBroker(stack, "rabbitmq", {
      brokerName: resourceName(env, ["rabbitmq"], 50),
      engineVersion: m.rabbitmq.engineVersion,
      instanceType: m.rabbitmq.instanceType ?? (production ? "mq.m5.large" : "mq.t3.micro"),
      deploymentMode: m.rabbitmq.deploymentMode ?? (production ? "CLUSTER_MULTI_AZ" : "SINGLE_INSTANCE"),
      subnetIds: network.private_subnet_ids,
      vpcId: network.vpc_id,
      clientSecurityGroupId: cluster.node_security_group_id,
      kmsKeyArn: key.arn,
      preventDestroy: production,
    });
  }

  stack.publish(MessagingContract, {
    kafka_bootstrap_servers: kafka ? kafka.cluster.bootstrapBrokersSaslIam : "",
    kafka_port: MSK_IAM_PORT,
    kafka_auth_mechanism: kafka ? "SASL_SSL/AWS_MSK_IAM" : "",
    // IAM policies grant kafka-cluster:* actions on this ARN (and its topic/group ARNs).
    kafka_secret_ref: kafka ? kafka.cluster.arn : "",
    kafka_topics: kafka ? env.messaging.kafka.topics.map((t) => t.name) : [],
    amqp_endpoint: rabbit ? rabbit.amqpHost : "",
    amqp_port: AMQPS_PORT,
    amqp_auth_mechanism: rabbit ? "PLAIN over TLS (Amazon MQ broker user)" : "",
    amqp_secret_ref: rabbit ? rabbit.adminSecret.arn : "",
  });
  return stack;
}
