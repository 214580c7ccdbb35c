/** One formatted-HCL snapshot per platform stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("platform");
