/**
 * The pipeline's identities, cloud-agnostic: the OIDC subjects GitHub puts in its tokens and the
 * bootstrap outputs people copy into the repository's variables once.
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "./config/environment";

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

/** True when the bootstrap stacks of `env` create the pipeline's identities. */
export function pipelineIdentitiesEnabled(env: EnvironmentConfig): boolean {
  return env.delivery.github.identities;
}

/** Publishes the identities as named outputs of a bootstrap stack (ids and names, never a secret). */
export function publishPipelineIdentities(stack: TerraformStack, outputs: Record<string, { value: string; description: string }>): void {
  for (const [name, { value, description }] of Object.entries(outputs)) new TerraformOutput(stack, name, { value, description });
}
