import { environments } from "./config";
import { skipTokenStackTraces } from "./modules/stack-traces";
import { synthesize } from "./stacks/app";

// cdktf keeps a stack trace per token only to explain an unresolvable one; formatting them cost
// ~0.3 s of each synth. ADDTOCLOUD_TOKEN_TRACES=1 keeps them when debugging such an error.
if (!process.env.ADDTOCLOUD_TOKEN_TRACES) skipTokenStackTraces();

// ADDTOCLOUD_ENVIRONMENTS=production,staging picks environments; unset synthesizes all of them.
synthesize(environments, { selection: process.env.ADDTOCLOUD_ENVIRONMENTS });
