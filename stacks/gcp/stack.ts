/** The base of every GCP stack: a layer stack with the Google provider for the environment's project. */
import { Construct } from "constructs";
import { googleProvider } from "../../constructs/gcp/provider";
import type { GcpConfig } from "../../modules/config/clouds/gcp";
import type { EnvironmentConfig } from "../../modules/config/environment";
import { LayerStack } from "../../modules/layer-stack";

export function gcpStack(scope: Construct, env: EnvironmentConfig, gcp: GcpConfig, layer: "bootstrap" | "network" | "cluster" | "data"): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "gcp", layer });
  googleProvider(stack, gcp);
  return stack;
}
