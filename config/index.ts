/** Every environment, as written. `modules/config/load.ts` validates them before anything is built. */
import { production } from "./production";
import { staging } from "./staging";

export const environments = [staging, production];
