import { environments } from "./config";
import { synthesize } from "./stacks/app";

// ADDTOCLOUD_ENVIRONMENTS=production,staging picks environments; unset synthesizes all of them.
synthesize(environments, { selection: process.env.ADDTOCLOUD_ENVIRONMENTS });
