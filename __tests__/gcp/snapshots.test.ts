/** One formatted-HCL snapshot per GCP stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("gcp");
