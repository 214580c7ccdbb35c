/**
 * Keyless identities for the GitHub Actions pipeline in one Azure subscription: a user-assigned
 * identity for plans and one for applies, each with one federated credential for exactly one
 * GitHub OIDC subject (pull requests of the repository; jobs of its protected environment).
 */
import { FederatedIdentityCredential } from "@cdktf/provider-azurerm/lib/federated-identity-credential";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import { Construct } from "constructs";
import { environmentSubject, GITHUB_OIDC_ISSUER, pullRequestSubject } from "../../modules/delivery";

/** The audience azure/login asks GitHub for. */
export const AZURE_FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

/** Properties for {@link GithubIdentities}. */
export interface GithubIdentitiesProps {
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** `owner/name` of the repository whose workflows log in as the identities. */
  readonly repository: string;
  /** The GitHub environment whose jobs may apply. */
  readonly applyEnvironment: string;
  readonly planIdentityName: string;
  readonly applyIdentityName: string;
  /** Resource id of the state storage container: plans read state and take its blob lease (the lock). */
  readonly stateContainerId: string;
}

export class GithubIdentities extends Construct {
  readonly plan: UserAssignedIdentity;
  readonly apply: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: GithubIdentitiesProps) {
    super(scope, id);
    const subscription = `/subscriptions/${props.subscriptionId}`;
    this.plan = this.identity("plan", props, pullRequestSubject(props.repository), [
      // Refresh reads every resource of the subscription; Reader holds no data-plane action.
      { role: "Reader", scope: subscription },
      // The azurerm backend locks state with a blob lease, a write action: granted on the state
      // container only.
      { role: "Storage Blob Data Contributor", scope: props.stateContainerId },
    ]);
    this.apply = this.identity("apply", props, environmentSubject(props.repository, props.applyEnvironment), [
      { role: "Contributor", scope: subscription },
      // The stacks assign roles (AKS to its subnets, the add-ons' workload identities, Key Vault
      // deployer roles); RBAC Administrator can assign roles but, unlike Owner or User Access
      // Administrator, not change the subscription's other access settings.
      { role: "Role Based Access Control Administrator", scope: subscription },
      { role: "Storage Blob Data Contributor", scope: props.stateContainerId },
    ]);
  }

  private identity(kind: "plan" | "apply", props: GithubIdentitiesProps, subject: string, roles: { role: string; scope: string }[]): UserAssignedIdentity {
    const identity = new UserAssignedIdentity(this, kind, {
      name: kind === "plan" ? props.planIdentityName : props.applyIdentityName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
    });
    new FederatedIdentityCredential(this, `${kind}-github`, {
      name: `github-${kind}`,
      resourceGroupName: props.resourceGroupName,
      parentId: identity.id,
      issuer: GITHUB_OIDC_ISSUER,
      audience: [AZURE_FEDERATION_AUDIENCE],
      subject,
    });
    for (const { role, scope } of roles) {
      new RoleAssignment(this, `${kind}-${role.toLowerCase().replace(/ /g, "-")}`, {
        scope,
        roleDefinitionName: role,
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
      });
    }
    return identity;
  }
}
