/**
 * Settings of the operations add-ons (observability, Vault, Falco, Gatekeeper, autoscaling),
 * under `platform.operations` of an environment. Owned by the operations add-on constructs.
 */
import { z } from "zod";

export const OperationsAddonsConfig = z.object({}).strict();
export type OperationsAddonsConfig = z.infer<typeof OperationsAddonsConfig>;
