/**
 * Amazon MQ for RabbitMQ: private (not publicly accessible, in the given subnets, admitted only from
 * the client security group on AMQPS 5671), general logs to CloudWatch, minor upgrades applied in a
 * weekly maintenance window. The admin password is generated and kept in Secrets Manager under a
 * customer-managed key; outputs carry the secret's ARN only.
 *
 * State: aws_mq_broker's `user.password` has no write-only variant at the pinned provider (hashicorp/aws
 * 6.25.0), so the password is a managed `random_password` and sits in the state of `random_password`,
 * `aws_mq_broker` and the secret version (marked sensitive; docs/state-and-review.md). The secret takes
 * `secret_string`, not `secret_string_wo`: the value is in state anyway, and a write-only copy would
 * not follow a replaced password. The state stores are encrypted and access-controlled.
 * Encryption at rest: Amazon MQ for RabbitMQ always uses an AWS owned key; the API's encryption
 * options (a customer-managed key) do not apply to RabbitMQ brokers, so none are set.
 */
import { MqBroker } from "@cdktf/provider-aws/lib/mq-broker";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Password } from "@cdktf/provider-random/lib/password";
import { Fn } from "cdktf";
import { Construct } from "constructs";

/** AMQP 0-9-1 over TLS. */
export const AMQPS_PORT = 5671;

/** Properties for {@link RabbitMqBroker}. */
export interface RabbitMqBrokerProps {
  readonly brokerName: string;
  /** e.g. `3.13`: Amazon MQ picks the newest patch and upgrades it in the window. */
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly deploymentMode: "CLUSTER_MULTI_AZ" | "SINGLE_INSTANCE";
  /** Private subnets; a single instance uses the first. */
  readonly subnetIds: string[];
  readonly vpcId: string;
  /** The only group admitted (the cluster nodes). */
  readonly clientSecurityGroupId: string;
  /** Key of the admin credentials secret. */
  readonly kmsKeyArn: string;
  /** @default "addtocloud_admin" */
  readonly adminUsername?: string;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class RabbitMqBroker extends Construct {
  readonly broker: MqBroker;
  readonly securityGroup: SecurityGroup;
  /** The secret holding `{ username, password }`. */
  readonly adminSecret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: RabbitMqBrokerProps) {
    super(scope, id);
    if (props.deploymentMode === "CLUSTER_MULTI_AZ" && props.instanceType === "mq.t3.micro") {
      throw new Error(`RabbitMqBroker '${props.brokerName}': 'instanceType' mq.t3.micro runs only as SINGLE_INSTANCE`);
    }
    const username = props.adminUsername ?? "addtocloud_admin";
    // Amazon MQ refuses ',', ':' and '=' in passwords: letters and digits only.
    const password = new Password(this, "admin-password", { length: 32, special: false });
    this.adminSecret = new SecretsmanagerSecret(this, "admin-secret", {
      name: `${props.brokerName}/admin`,
      description: `Admin credentials of the Amazon MQ RabbitMQ broker ${props.brokerName}`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 30,
    });
    new SecretsmanagerSecretVersion(this, "admin-secret-value", {
      secretId: this.adminSecret.id,
      secretString: Fn.jsonencode({ username, password: password.result }),
    });
    this.securityGroup = new SecurityGroup(this, "sg", {
      name: `${props.brokerName}-mq`,
      description: `Amazon MQ ${props.brokerName}: AMQPS from the cluster nodes only`,
      vpcId: props.vpcId,
      ingress: [{ description: "AMQPS from the cluster nodes", protocol: "tcp", fromPort: AMQPS_PORT, toPort: AMQPS_PORT, securityGroups: [props.clientSecurityGroupId] }],
      tags: { Name: `${props.brokerName}-mq` },
    });
    this.broker = new MqBroker(this, "broker", {
      brokerName: props.brokerName,
      engineType: "RabbitMQ",
      engineVersion: props.engineVersion,
      // Required for RabbitMQ 3.13 and later: patches arrive in the maintenance window below.
      autoMinorVersionUpgrade: true,
      hostInstanceType: props.instanceType,
      deploymentMode: props.deploymentMode,
      publiclyAccessible: false,
      subnetIds: props.deploymentMode === "SINGLE_INSTANCE" ? [Fn.element(props.subnetIds, 0)] : props.subnetIds,
      securityGroups: [this.securityGroup.id],
      logs: { general: true },
      maintenanceWindowStartTime: { dayOfWeek: "SUNDAY", timeOfDay: "05:00", timeZone: "UTC" },
      user: [{ username, password: password.result }],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }

  /** The AMQPS host of the broker (its endpoint without scheme and port). */
  get amqpHost(): string {
    return Fn.element(Fn.split(":", Fn.replace(Fn.element(this.broker.instances.get(0).endpoints, 0), "amqps://", "")), 0);
  }
}
