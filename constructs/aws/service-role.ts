/**
 * An IAM role that one AWS service (or one federated identity) assumes, with the AWS-managed
 * policies it needs attached and, for anything narrower, an inline policy scoped to named resources.
 */
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Fn } from "cdktf";
import { Construct } from "constructs";

/** Properties for {@link ServiceRole}. */
export interface ServiceRoleProps {
  readonly roleName: string;
  readonly description: string;
  /**
   * Trust policy: a document ({@link servicePrincipalTrust} for an AWS service) or an already
   * encoded one ({@link serviceAccountTrust} for IRSA).
   */
  readonly assumeRolePolicy: Record<string, unknown> | string;
  /**
   * Names of AWS-managed policies to attach, e.g. `AmazonEKSClusterPolicy`.
   * @default none
   */
  readonly managedPolicies?: readonly string[];
  /**
   * Statements of an inline policy.
   * @default no inline policy
   */
  readonly statements?: readonly Record<string, unknown>[];
}

/** A trust policy letting `service` (e.g. `eks.amazonaws.com`) assume the role. */
export function servicePrincipalTrust(service: string, conditions?: Record<string, unknown>): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(conditions ? { Condition: conditions } : {}) }],
  };
}

/**
 * A trust policy for IRSA: only the Kubernetes service account `namespace/name` of the cluster whose
 * OIDC provider is `oidcProviderArn` may assume the role, and only for STS. Built as a policy
 * document data source because the condition keys depend on the issuer URL, which a JSON key cannot
 * reference.
 */
export function serviceAccountTrust(scope: Construct, id: string, oidcProviderArn: string, issuerUrl: string, namespace: string, name: string): string {
  const issuer = Fn.replace(issuerUrl, "https://", "");
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [oidcProviderArn] }],
        condition: [
          { test: "StringEquals", variable: `${issuer}:sub`, values: [`system:serviceaccount:${namespace}:${name}`] },
          { test: "StringEquals", variable: `${issuer}:aud`, values: ["sts.amazonaws.com"] },
        ],
      },
    ],
  }).json;
}

/** An IAM policy document as Terraform's `jsonencode` (tokens inside stay valid, snapshots stay readable). */
export function policyDocument(statements: readonly Record<string, unknown>[]): string {
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements });
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: typeof props.assumeRolePolicy === "string" ? props.assumeRolePolicy : Fn.jsonencode(props.assumeRolePolicy),
    });
    this.arn = this.role.arn;
    for (const policy of props.managedPolicies ?? []) {
      new IamRolePolicyAttachment(this, policy.replace(/\//g, "-"), { role: this.role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` });
    }
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "inline", {
        name: props.roleName,
        role: this.role.id,
        policy: policyDocument(props.statements),
      });
    }
  }
}
