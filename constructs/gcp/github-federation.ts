/**
 * Keyless identities for the GitHub Actions pipeline in one GCP project: a Workload Identity
 * Federation pool and OIDC provider for GitHub's issuer whose attribute condition admits only the
 * repository's pull-request jobs and its protected environment's jobs on the apply branch, and two
 * service accounts each impersonable by exactly one of those subjects.
 */
import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import { environmentSubject, GITHUB_OIDC_ISSUER, pullRequestSubject } from "../../modules/delivery";

/**
 * Project roles of the plan account: read the resource types the stacks use and their IAM
 * policies; predefined roles only (the basic viewer role reaches every service). Secret Manager
 * accessor because refreshing a secret version reads its payload; the state a plan reads already
 * holds those values.
 */
export const GCP_PLAN_ROLES = [
  "roles/browser",
  "roles/iam.securityReviewer",
  "roles/compute.viewer",
  "roles/container.viewer",
  "roles/cloudsql.viewer",
  "roles/redis.viewer",
  "roles/cloudkms.viewer",
  "roles/secretmanager.viewer",
  "roles/secretmanager.secretAccessor",
  "roles/storage.bucketViewer",
  "roles/serviceusage.serviceUsageConsumer",
  "roles/dns.reader",
  "roles/managedkafka.viewer",
  "roles/datamigration.viewer",
  "roles/storagetransfer.viewer",
] as const;
/**
 * Project roles of the apply account, one admin role per service the stacks create resources in
 * (network and HA VPN, firewall, GKE, Cloud SQL, Memorystore, KMS, Secret Manager, GCS, private
 * service access, Cloud DNS, Managed Kafka, Database Migration Service, Storage Transfer, enabling APIs), plus creating and attaching service
 * accounts (GKE nodes, the add-ons' workload identity) and granting project roles, which the stacks do.
 */
export const GCP_APPLY_ROLES = [
  "roles/compute.networkAdmin",
  "roles/compute.securityAdmin",
  "roles/container.admin",
  "roles/cloudsql.admin",
  "roles/redis.admin",
  "roles/cloudkms.admin",
  "roles/secretmanager.admin",
  "roles/storage.admin",
  "roles/servicenetworking.networksAdmin",
  "roles/iam.serviceAccountAdmin",
  "roles/iam.serviceAccountUser",
  "roles/resourcemanager.projectIamAdmin",
  "roles/serviceusage.serviceUsageConsumer",
  "roles/serviceusage.serviceUsageAdmin",
  "roles/dns.admin",
  "roles/managedkafka.admin",
  "roles/datamigration.admin",
  "roles/storagetransfer.admin",
] as const;

/** Properties for {@link GithubFederation}. */
export interface GithubFederationProps {
  readonly projectId: string;
  /** `owner/name` of the repository whose workflows impersonate the accounts. */
  readonly repository: string;
  /** The GitHub environment whose jobs may apply. */
  readonly applyEnvironment: string;
  /** The branch applies run from. */
  readonly applyBranch: string;
  /** Pool id (4-32 characters); the service accounts are `<id>-plan` and `<id>-apply` (at most 30). */
  readonly poolId: string;
  /** The state bucket: the plan account reads it and writes lock files only. */
  readonly stateBucketName: string;
}

export class GithubFederation extends Construct {
  readonly pool: IamWorkloadIdentityPool;
  readonly provider: IamWorkloadIdentityPoolProvider;
  readonly planAccount: ServiceAccount;
  readonly applyAccount: ServiceAccount;
  /** The condition every token must meet before any binding is even considered. */
  readonly attributeCondition: string;

  constructor(scope: Construct, id: string, props: GithubFederationProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{3,23}$/.test(props.poolId)) {
      throw new Error(`'poolId' (${props.poolId}) must be 4-24 lowercase letters, digits or '-', starting with a letter, so that '<poolId>-apply' fits a service account id`);
    }
    const planSubject = pullRequestSubject(props.repository);
    const applySubject = environmentSubject(props.repository, props.applyEnvironment);
    this.pool = new IamWorkloadIdentityPool(this, "pool", {
      project: props.projectId,
      workloadIdentityPoolId: props.poolId,
      displayName: "GitHub Actions",
      description: `GitHub Actions of ${props.repository}`,
    });
    this.attributeCondition =
      `assertion.repository == '${props.repository}' && (assertion.sub == '${planSubject}' || ` +
      `(assertion.sub == '${applySubject}' && assertion.ref == 'refs/heads/${props.applyBranch}'))`;
    this.provider = new IamWorkloadIdentityPoolProvider(this, "provider", {
      project: props.projectId,
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: "github",
      displayName: "GitHub",
      attributeMapping: { "google.subject": "assertion.sub", "attribute.repository": "assertion.repository", "attribute.ref": "assertion.ref" },
      attributeCondition: this.attributeCondition,
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
    });

    this.planAccount = this.account("plan", props, `Plans pull requests of ${props.repository}`, planSubject, GCP_PLAN_ROLES);
    this.applyAccount = this.account("apply", props, `Applies from the ${props.applyEnvironment} environment of ${props.repository}`, applySubject, GCP_APPLY_ROLES);

    // State: read the objects, and create or delete only Terraform's lock files (`<prefix>/default.tflock`).
    new StorageBucketIamMember(this, "plan-state-read", {
      bucket: props.stateBucketName,
      role: "roles/storage.objectViewer",
      member: this.planAccount.member,
    });
    new StorageBucketIamMember(this, "plan-state-lock", {
      bucket: props.stateBucketName,
      role: "roles/storage.objectUser",
      member: this.planAccount.member,
      condition: {
        title: "terraform-lock-files-only",
        description: "Only Terraform's lock files, so a plan never rewrites state",
        expression: `resource.name.startsWith('projects/_/buckets/${props.stateBucketName}/objects/') && resource.name.endsWith('.tflock')`,
      },
    });
  }

  private account(role: "plan" | "apply", props: GithubFederationProps, description: string, subject: string, projectRoles: readonly string[]): ServiceAccount {
    const account = new ServiceAccount(this, `${role}-account`, {
      project: props.projectId,
      accountId: `${props.poolId}-${role}`,
      displayName: `GitHub Actions ${role}`,
      description,
    });
    // Exactly one subject of the pool: principal://.../subject/<sub>, never a principalSet.
    new ServiceAccountIamMember(this, `${role}-impersonation`, {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `principal://iam.googleapis.com/${this.pool.name}/subject/${subject}`,
    });
    for (const projectRole of projectRoles) {
      new ProjectIamMember(this, `${role}-${projectRole.replace(/^roles\//, "").replace(/\./g, "-")}`, {
        project: props.projectId,
        role: projectRole,
        member: account.member,
      });
    }
    return account;
  }
}
