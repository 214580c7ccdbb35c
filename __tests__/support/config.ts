/**
 * Config-error tests assert the loader's exact messages: this turns a load into the problems it
 * reports, one `path: message` line each (none when the config loads).
 */
import { ConfigError, LoadOptions, loadEnvironments } from "../../modules/config/load";

export function configProblems(inputs: readonly unknown[], options?: LoadOptions): string[] {
  try {
    loadEnvironments(inputs, options);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}
