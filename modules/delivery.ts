/**
 * The pipeline's identities, cloud-agnostic: the OIDC subjects GitHub puts in its tokens and the
 * bootstrap outputs people copy into the repository's variables once.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "./config/environment";
import { resourceName } from "./naming";

/** GitHub's OIDC token issuer. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/** The OIDC subject of a pull-request job of `repository` (what plan identities trust). */
export function pullRequestSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

/** The OIDC subject of a job running in the GitHub environment `environment` of `repository` (what apply identities trust). */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/** The GitHub environment that applies `env`'s stacks. */
export function applyEnvironment(env: EnvironmentConfig): string {
  return env.delivery.github.environment ?? env.name;
}

/**
 * Name of a pipeline identity: AWS roles `<project>-<env>-github-<kind>`, GCP pool `github-<env>`
 * and service accounts `github-<env>-<kind>` (ids of at most 30 characters; environment names have
 * at most 16). Derived here once, so the workflows' matrix knows them before the bootstrap runs.
 */
export function githubIdentityName(env: Pick<EnvironmentConfig, "name" | "project">, cloud: "aws" | "gcp" | "azure", kind: "plan" | "apply" | "pool"): string {
  if (cloud === "gcp") return kind === "pool" ? `github-${env.name}` : `github-${env.name}-${kind}`;
  return resourceName(env, ["github", kind]);
}

/** True when the bootstrap stacks of `env` create the pipeline's identities. */
export function pipelineIdentitiesEnabled(env: EnvironmentConfig): boolean {
  return env.delivery.github.identities;
}

/** Publishes the identities as named outputs of a bootstrap stack (ids and names, never a secret). */
export function publishPipelineIdentities(stack: TerraformStack, outputs: Record<string, { value: string; description: string }>): void {
  for (const [name, { value, description }] of Object.entries(outputs)) new TerraformOutput(stack, name, { value, description });
}
