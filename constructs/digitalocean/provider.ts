/**
 * The DigitalOcean provider of a stack. Credentials come from the environment at plan time
 * (`DIGITALOCEAN_TOKEN`, and `SPACES_ACCESS_KEY_ID`/`SPACES_SECRET_ACCESS_KEY` for Spaces), never
 * from the synthesized files.
 */
import { DigitaloceanProvider } from "@cdktf/provider-digitalocean/lib/provider";
import { Construct } from "constructs";

export function digitalOceanProvider(scope: Construct): DigitaloceanProvider {
  return new DigitaloceanProvider(scope, "digitalocean", {});
}
