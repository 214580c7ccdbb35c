/**
 * The security group of a managed database: one TCP port, admitted only from one source security
 * group (the cluster's nodes), and no egress (databases answer, they do not call out).
 */
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";

/** Properties for {@link databaseSecurityGroup}. */
export interface DatabaseSecurityGroupProps {
  readonly name: string;
  readonly description: string;
  readonly vpcId: string;
  readonly port: number;
  /** The only group whose members may connect. */
  readonly sourceSecurityGroupId: string;
  /**
   * Ranges of the replica and backup clouds, admitted on the same port over the private
   * cross-cloud links (`<env>-interconnect-*`).
   * @default [] (no other cloud)
   */
  readonly linkedPeerCidrs?: readonly string[];
}

export function databaseSecurityGroup(scope: Construct, id: string, props: DatabaseSecurityGroupProps): SecurityGroup {
  return new SecurityGroup(scope, id, {
    name: props.name,
    description: props.description,
    vpcId: props.vpcId,
    ingress: [
      {
        description: `TCP ${props.port} from the cluster nodes only`,
        protocol: "tcp",
        fromPort: props.port,
        toPort: props.port,
        securityGroups: [props.sourceSecurityGroupId],
      },
      ...(props.linkedPeerCidrs && props.linkedPeerCidrs.length > 0
        ? [
            {
              description: `TCP ${props.port} from the replica and backup clouds over the private links`,
              protocol: "tcp",
              fromPort: props.port,
              toPort: props.port,
              cidrBlocks: [...props.linkedPeerCidrs],
            },
          ]
        : []),
    ],
    tags: { Name: props.name },
  });
}
