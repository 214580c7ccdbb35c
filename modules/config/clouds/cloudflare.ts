/** The Cloudflare edge of an environment. */
import { z } from "zod";
import { Domain } from "../primitives";
import { StateBackend } from "../state";

const Cloud = z.enum(["aws", "gcp", "azure", "digitalocean"]);

export const CloudflareConfig = z
  .object({
    /** Cloudflare account id (32 hex characters). */
    accountId: z.string().regex(/^[a-f0-9]{32}$/, { message: "must be a 32-character hexadecimal Cloudflare account id" }),
    /**
     * An existing zone the environment's domain lives in (e.g. staging.addtocloud.tech in
     * addtocloud.tech). Its records are managed here; the zone, its settings and its rulesets stay
     * with the zone's owner. @default the stack creates and hardens a zone for the domain
     */
    parentZone: Domain.optional(),
    pages: z
      .object({
        /** @default `<project>-<env>` */
        projectName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,56}[a-z0-9]$/, { message: "must be lowercase letters, digits and '-'" }).optional(),
        productionBranch: z.string().min(1).default("main"),
        buildCommand: z.string().min(1).default("npm ci && npx next build"),
        /** The static export's directory. */
        outputDirectory: z.string().min(1).default("out"),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        /** `<subdomain>.<domain>` is the API entry. */
        subdomain: z.string().regex(/^[a-z0-9-]+$/).default("api"),
        /** Path the HTTPS monitor probes on every cluster. */
        healthCheckPath: z.string().startsWith("/").default("/healthz"),
        /**
         * Pools in failover order; a cluster whose cloud is not listed gets no pool.
         * @default aws, gcp, azure, digitalocean (the enabled ones)
         */
        failoverOrder: z.array(Cloud).min(1).optional(),
        /** Steer by the visitor's region instead of plain failover. @default false */
        geoSteering: z.boolean().default(false),
        /** Requests per minute per client IP and data centre before the API rate limit blocks. */
        requestsPerMinute: z.number().int().min(10).max(100000).default(600),
      })
      .strict()
      .prefault({}),
    /** Sensitivity of the HTTP DDoS managed ruleset. */
    ddosSensitivity: z.enum(["default", "medium", "low", "eoff"]).default("default"),
    state: StateBackend.optional(),
  })
  .strict();
export type CloudflareConfig = z.infer<typeof CloudflareConfig>;
