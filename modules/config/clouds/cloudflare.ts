/** The Cloudflare edge of an environment. */
import { z } from "zod";
import { StateBackend } from "../state";

export const CloudflareConfig = z
  .object({
    /** Cloudflare account id (32 hex characters). */
    accountId: z.string().regex(/^[a-f0-9]{32}$/, { message: "must be a 32-character hexadecimal Cloudflare account id" }),
    state: StateBackend.optional(),
  })
  .passthrough();
export type CloudflareConfig = z.infer<typeof CloudflareConfig>;
