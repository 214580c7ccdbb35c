/** One formatted-HCL snapshot per Azure stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("azure");
