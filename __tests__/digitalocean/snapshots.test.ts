/** One formatted-HCL snapshot per DigitalOcean stack of every shipped environment. */
import { describeStackSnapshots } from "../support/snapshots";

describeStackSnapshots("digitalocean");
