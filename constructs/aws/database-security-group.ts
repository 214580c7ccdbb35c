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
   * Networks of other clouds admitted on the port too, over the private links (the clouds that
   * copy this database).
   * @default [] (the cluster nodes only)
   */
  readonly peerCidrs?: readonly string[];
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
      ...(props.peerCidrs?.length
        ? [{ description: `TCP ${props.port} from the clouds copying this database, over the private links`, protocol: "tcp", fromPort: props.port, toPort: props.port, cidrBlocks: [...props.peerCidrs] }]
        : []),
    ],
    tags: { Name: props.name },
  });
}
