/** Builds the azure stacks of an environment. */
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../modules/config/environment";
import type { CloudStacks } from "../types";

export function buildAzureStacks(_scope: Construct, _env: EnvironmentConfig): CloudStacks {
  return {};
}
