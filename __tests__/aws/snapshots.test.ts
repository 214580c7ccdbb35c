/** One formatted-HCL snapshot per AWS stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("aws");
