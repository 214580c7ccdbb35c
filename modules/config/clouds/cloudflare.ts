/** The Cloudflare edge of an environment. */
import { z } from "zod";
import { CLOUDFLARE_PLANS, RATE_LIMIT_SECONDS } from "../cloudflare-plans";
import { Domain } from "../primitives";
import { StateBackend } from "../state";

const Cloud = z.enum(["aws", "gcp", "azure", "digitalocean"]);

const RateLimitSeconds = z
  .number()
  .int()
  .refine((value) => (RATE_LIMIT_SECONDS as readonly number[]).includes(value), { message: `must be one of Cloudflare's values: ${RATE_LIMIT_SECONDS.join(", ")}` });

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
    /**
     * The plan of the zone the records live in (the parent zone's plan when `parentZone` is set).
     * Every edge feature is checked against it; see docs/prerequisites-azure-gcp-cloudflare.md.
     */
    plan: z.enum(CLOUDFLARE_PLANS),
    /**
     * The zone has Advanced Certificate Manager (a paid add-on), which the advanced certificate
     * pack for an environment deeper in another's zone (`parentZone`) needs. @default false
     */
    advancedCertificateManager: z.boolean().default(false),
    waf: z
      .object({
        /** Run the Cloudflare Managed and OWASP Core rulesets (Pro and above). @default true */
        managedRulesets: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
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
        /**
         * The API rate limiting rule: counted per client IP and data centre over `periodSeconds`
         * (`requestsPerMinute` scaled to it), blocking for `mitigationTimeoutSeconds`. Periods,
         * timeouts and the host match are limited by the plan (Free: 10 s, 10 s, no host match).
         */
        rateLimit: z
          .object({
            enabled: z.boolean().default(true),
            periodSeconds: RateLimitSeconds.default(60),
            mitigationTimeoutSeconds: RateLimitSeconds.default(600),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Sensitivity of the HTTP DDoS managed ruleset. */
    ddosSensitivity: z.enum(["default", "medium", "low", "eoff"]).default("default"),
    state: StateBackend.optional(),
  })
  .strict();
export type CloudflareConfig = z.infer<typeof CloudflareConfig>;
