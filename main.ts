// tsx turns source maps on; cdktf captures a stack trace for every token it creates, and mapping
// each one through the source maps cost ~0.3 s of a 2 s synth (scripts/bench.mjs, 8 stacks).
process.setSourceMapsEnabled(false);

import { environments } from "./config";
import { synthesize } from "./stacks/app";

// ADDTOCLOUD_ENVIRONMENTS=production,staging picks environments; unset synthesizes all of them.
synthesize(environments, { selection: process.env.ADDTOCLOUD_ENVIRONMENTS });
