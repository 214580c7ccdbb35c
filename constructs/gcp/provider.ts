/** The Google provider of a stack: the environment's project and region. */
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Construct } from "constructs";
import type { GcpConfig } from "../../modules/config/clouds/gcp";

export function googleProvider(scope: Construct, gcp: Pick<GcpConfig, "projectId" | "region">): GoogleProvider {
  return new GoogleProvider(scope, "google", { project: gcp.projectId, region: gcp.region });
}
