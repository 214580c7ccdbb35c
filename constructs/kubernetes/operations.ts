/**
 * The operations add-ons of a cluster: observability (metrics, logs, traces to the hub), Vault,
 * Falco, OPA Gatekeeper and autoscaling. The platform stack calls this once per cluster.
 */
import { Construct } from "constructs";
import type { PlatformContext } from "./platform-context";

export function installOperationsAddons(_scope: Construct, _ctx: PlatformContext): void {
  // Filled in by the operations add-on constructs.
}
