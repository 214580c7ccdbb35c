/**
 * The stack matrix: for every environment, every enabled cloud's stacks, a platform stack per
 * cluster, and the Cloudflare edge in front of them.
 */
import { Construct } from "constructs";
import { nativeStoreOwner } from "../modules/backends";
import { createApp } from "../modules/app";
import { EnvironmentConfig, KubernetesCloud, enabledClouds } from "../modules/config/environment";
import { loadEnvironments, selectEnvironments } from "../modules/config/load";
import { LayerStack } from "../modules/layer-stack";
import { buildAwsStacks } from "./aws";
import { buildAzureStacks } from "./azure";
import { buildDigitalOceanStacks } from "./digitalocean";
import { buildEdgeStack, orderEdgeStacks } from "./edge";
import { buildGcpStacks } from "./gcp";
import { buildDigitalOceanGateway, buildGatewayStacks, buildLinkStacks } from "./interconnect";
import { buildPlatformStack } from "./platform";
import { CloudBuilder, CloudStacks, PlatformStackRef } from "./types";

const BUILDERS: Record<KubernetesCloud, CloudBuilder> = {
  aws: buildAwsStacks,
  gcp: buildGcpStacks,
  azure: buildAzureStacks,
  digitalocean: buildDigitalOceanStacks,
};

/** Builds every stack of one environment under `scope`. */
export function buildEnvironment(scope: Construct, env: EnvironmentConfig): LayerStack[] {
  const clouds: Partial<Record<KubernetesCloud, CloudStacks>> = {};
  const platforms: PlatformStackRef[] = [];
  for (const cloud of enabledClouds(env)) {
    const stacks = BUILDERS[cloud](scope, env, clouds);
    clouds[cloud] = stacks;
    if (stacks.cluster && env.platform.enabled) {
      const platform = buildPlatformStack(scope, env, cloud, stacks.cluster, stacks.data);
      if (platform) platforms.push({ cloud, stack: platform });
    }
  }
  const edge = env.cloudflare ? buildEdgeStack(scope, env, platforms) : undefined;
  // Private links between the clouds: gateways after the networks, links after both gateways.
  const gateways = buildGatewayStacks(scope, env, clouds);
  const links = buildLinkStacks(scope, env, gateways);
  const partnerAttachment = buildDigitalOceanGateway(scope, env, clouds.digitalocean?.network);

  const all: LayerStack[] = [];
  for (const stacks of Object.values(clouds)) {
    for (const stack of [stacks.bootstrap, stacks.network, stacks.cluster, stacks.data, stacks.messaging]) if (stack) all.push(stack);
  }
  for (const { stack } of platforms) all.push(stack);
  if (edge) all.push(edge);
  for (const stack of [...Object.values(gateways), ...links]) all.push(stack);
  if (partnerAttachment) all.push(partnerAttachment);

  // Under `native` state a stack's state lives in a bucket its cloud's bootstrap stack creates:
  // record that dependency so `cdktf deploy` creates the bucket first.
  for (const stack of all) {
    if (stack.layer === "bootstrap") continue;
    const owner = nativeStoreOwner(env, stack.cloud);
    const bootstrap = owner ? clouds[owner]?.bootstrap : undefined;
    if (bootstrap) stack.addDependency(bootstrap);
  }
  return all;
}

/**
 * Builds every environment under `scope`, then records the deploy order between stacks of
 * different environments (a staging edge under the production zone waits for that zone).
 */
export function buildEnvironments(scope: Construct, envs: readonly EnvironmentConfig[]): LayerStack[] {
  const all = envs.flatMap((env) => buildEnvironment(scope, env));
  orderEdgeStacks(all);
  return all;
}

export interface SynthesizeOptions {
  /** Comma-separated environment names to synthesize. @default every environment */
  readonly selection?: string;
  /** @default "cdktf.out" */
  readonly outdir?: string;
}

/**
 * Validates the config, builds every selected environment and synthesizes. A bad config throws
 * before the App exists, so nothing is written.
 */
export function synthesize(inputs: readonly unknown[], options: SynthesizeOptions = {}): void {
  const environments = selectEnvironments(loadEnvironments(inputs), options.selection);
  const app = createApp({ outdir: options.outdir });
  buildEnvironments(app, environments);
  app.synth();
}
