/**
 * The `delivery` section: the GitHub repository whose workflows plan and apply this environment's
 * stacks, and the keyless identities the bootstrap stacks create for it.
 */
import { z } from "zod";

/** `owner/name`; no wildcard can slip into a trust subject. */
const Repository = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, { message: "must be a GitHub repository written owner/name, without wildcards" });

/** A GitHub environment or branch name usable verbatim in an OIDC subject. */
const SubjectPart = z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/, { message: "must be letters, digits, '.', '_', '/' or '-' (no wildcards, no ':')" });

export const DeliveryConfig = z
  .object({
    github: z
      .object({
        /** The repository whose workflows assume the identities. */
        repository: Repository.default("addtocloud/platform"),
        /**
         * The GitHub environment (with required reviewers in production) that applies this
         * environment's stacks; the apply identities trust only jobs running in it.
         * @default the environment's name
         */
        environment: SubjectPart.optional(),
        /** The branch applies run from (GCP's condition checks it; on GitHub, the environment's branch rule). */
        branch: SubjectPart.default("main"),
        /** Self-hosted runner scale sets are named `<runnerPrefix>-<env>-<cloud>`. */
        runnerPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { message: "must be lowercase letters, digits and '-'" }).default("addtocloud"),
        /** Create the plan and apply identities in the bootstrap stacks. @default true */
        identities: z.boolean().default(true),
        /**
         * ARN of an IAM OIDC provider for token.actions.githubusercontent.com that already exists in
         * the AWS account (an account holds one per URL, so a second environment in the same account
         * passes the first one's).
         * @default the AWS bootstrap stack creates it
         */
        awsOidcProviderArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, { message: "must be the ARN of the IAM OIDC provider token.actions.githubusercontent.com" }).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type DeliveryConfig = z.infer<typeof DeliveryConfig>;
