/** One formatted-HCL snapshot per gateway and link stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("interconnect");
