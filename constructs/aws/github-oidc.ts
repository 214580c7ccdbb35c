/**
 * Keyless identities for the GitHub Actions pipeline in one AWS account: the IAM OIDC provider for
 * GitHub's token issuer, a plan role that only pull-request jobs of one repository assume, and an
 * apply role that only jobs running in one protected GitHub environment of that repository assume.
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";
import { environmentSubject, GITHUB_OIDC_ISSUER, pullRequestSubject } from "../../modules/delivery";
import { ServiceRole } from "./service-role";

/** GitHub's OIDC token issuer without the scheme, as IAM condition keys name it. */
export const GITHUB_OIDC_HOST = GITHUB_OIDC_ISSUER.replace("https://", "");
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** Properties for {@link GithubActionsRoles}. */
export interface GithubActionsRolesProps {
  /** `owner/name` of the repository whose workflows assume the roles. */
  readonly repository: string;
  /** The GitHub environment (required reviewers, branch rule `main`) whose jobs may apply. */
  readonly applyEnvironment: string;
  readonly planRoleName: string;
  readonly applyRoleName: string;
  readonly accountId: string;
  /** The state bucket: the plan role reads state and writes only lock files. */
  readonly stateBucketArn: string;
  /** The key that encrypts the state bucket (lock files are written through it). */
  readonly stateKeyArn: string;
  /**
   * An OIDC provider for GitHub that already exists in the account (one per URL per account).
   * @default a new provider
   */
  readonly existingProviderArn?: string;
}

/** The GitHub OIDC provider and the pipeline's plan and apply roles. */
export class GithubActionsRoles extends Construct {
  readonly providerArn: string;
  readonly planRole: ServiceRole;
  readonly applyRole: ServiceRole;

  constructor(scope: Construct, id: string, props: GithubActionsRolesProps) {
    super(scope, id);
    // AWS validates GitHub's certificate against its own trust store, so no thumbprint is pinned
    // (`thumbprint_list` is optional in the pinned provider).
    this.providerArn =
      props.existingProviderArn ??
      new IamOpenidConnectProvider(this, "provider", { url: GITHUB_OIDC_ISSUER, clientIdList: [GITHUB_OIDC_AUDIENCE] }).arn;

    const planName = props.planRoleName;
    const applyName = props.applyRoleName;
    this.planRole = new ServiceRole(this, "plan", {
      roleName: planName,
      description: `Plans (cdktf diff) for pull requests of ${props.repository}: read-only, state read and lock`,
      assumeRolePolicy: githubTrust(this.providerArn, pullRequestSubject(props.repository)),
      // ReadOnlyAccess lets a plan refresh every resource type the stacks use; it holds no
      // secretsmanager:GetSecretValue, so secret values stay out of reach.
      managedPolicies: ["ReadOnlyAccess"],
      statements: [
        { Sid: "StateRead", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [props.stateBucketArn] },
        { Sid: "StateObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${props.stateBucketArn}/*`] },
        // Terraform's S3 lockfile (`use_lockfile`): the plan creates and removes `<key>.tflock` only.
        { Sid: "StateLock", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: [`${props.stateBucketArn}/*.tflock`] },
        { Sid: "StateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [props.stateKeyArn] },
      ],
    });
    this.applyRole = new ServiceRole(this, "apply", {
      roleName: applyName,
      description: `Applies (cdktf deploy) from the ${props.applyEnvironment} environment of ${props.repository}`,
      assumeRolePolicy: githubTrust(this.providerArn, environmentSubject(props.repository, props.applyEnvironment)),
      // The stacks create networks, clusters, databases, keys and the IAM roles of those services
      // (EKS, nodes, IRSA, flow logs): PowerUserAccess plus IAM on roles, policies, instance profiles
      // and OIDC providers of this account. Creating roles makes this role as strong as an
      // administrator in practice; what guards it is the trust (one reviewed GitHub environment).
      managedPolicies: ["PowerUserAccess"],
      statements: [
        {
          Sid: "StackIam",
          Effect: "Allow",
          Action: [
            "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
            "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PassRole",
            "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy",
            "iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile",
            "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
          ],
          Resource: [
            `arn:aws:iam::${props.accountId}:role/*`,
            `arn:aws:iam::${props.accountId}:policy/*`,
            `arn:aws:iam::${props.accountId}:instance-profile/*`,
            `arn:aws:iam::${props.accountId}:oidc-provider/*`,
          ],
        },
        // The pipeline never edits its own identities: they belong to the bootstrap stack, applied by hand.
        {
          Sid: "NotThePipelineItself",
          Effect: "Deny",
          Action: ["iam:*"],
          Resource: [`arn:aws:iam::${props.accountId}:role/${planName}`, `arn:aws:iam::${props.accountId}:role/${applyName}`, `arn:aws:iam::${props.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`],
        },
      ],
    });
  }
}

/** Trust for GitHub's OIDC tokens with exactly this subject and the STS audience (no wildcard). */
function githubTrust(providerArn: string, subject: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject },
        },
      },
    ],
  };
}
