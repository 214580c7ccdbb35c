/** Builds the Cloudflare edge stack of an environment. */
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../modules/config/environment";
import type { LayerStack } from "../../modules/layer-stack";
import type { PlatformStackRef } from "../types";

export function buildEdgeStack(_scope: Construct, _env: EnvironmentConfig, _platforms: readonly PlatformStackRef[]): LayerStack | undefined {
  return undefined;
}
