/** One formatted-HCL snapshot per Cloudflare edge stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("cloudflare");
