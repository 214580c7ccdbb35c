/** How the per-cloud stack builders plug into the app. */
import { Construct } from "constructs";
import type { EnvironmentConfig, KubernetesCloud } from "../modules/config/environment";
import type { LayerStack } from "../modules/layer-stack";

/** The stacks one cloud builds for one environment. */
export interface CloudStacks {
  readonly bootstrap?: LayerStack;
  readonly network?: LayerStack;
  readonly cluster?: LayerStack;
  readonly data?: LayerStack;
  readonly messaging?: LayerStack;
}

/**
 * Builds every stack of one cloud for one environment. `built` holds the stacks of the clouds
 * built before it (in KUBERNETES_CLOUDS order), e.g. the primary's data stack a replica reads.
 */
export type CloudBuilder = (scope: Construct, env: EnvironmentConfig, built?: Partial<Record<KubernetesCloud, CloudStacks>>) => CloudStacks;

/** A platform stack and the cloud whose cluster it serves (what the edge reads). */
export interface PlatformStackRef {
  readonly cloud: KubernetesCloud;
  readonly stack: LayerStack;
}
