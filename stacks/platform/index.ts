/** Builds the platform add-on stack of one cluster. */
import { Construct } from "constructs";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import type { LayerStack } from "../../modules/layer-stack";

export function buildPlatformStack(_scope: Construct, _env: EnvironmentConfig, _cloud: KubernetesCloud, _cluster: LayerStack): LayerStack | undefined {
  return undefined;
}
