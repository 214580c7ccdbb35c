/**
 * Where a stack keeps its Terraform state. Chosen per environment, overridable per cloud.
 */
import { z } from "zod";

/** Local files under `terraform-state/` at the repository root: works with no cloud account. */
export const LocalState = z
  .object({
    type: z.literal("local"),
    /** Directory, relative to the repository root. @default "terraform-state" */
    directory: z.string().regex(/^[A-Za-z0-9._/-]+$/, { message: "must be a relative path" }).default("terraform-state"),
  })
  .strict();

/**
 * Each cloud keeps its stacks' state in the store its own `<env>-<cloud>-bootstrap` stack creates:
 * S3 on AWS, GCS on GCP, a storage container on Azure. DigitalOcean and Cloudflare stacks use the
 * store named by `fallback` (AWS by default).
 */
export const NativeState = z
  .object({
    type: z.literal("native"),
    /** The cloud whose store keeps state for clouds without a native backend. @default "aws" */
    fallback: z.enum(["aws", "gcp", "azure", "digitalocean"]).default("aws"),
  })
  .strict();

/** An existing S3 (or S3-compatible, such as DigitalOcean Spaces) bucket. */
export const S3State = z
  .object({
    type: z.literal("s3"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be a valid bucket name" }),
    region: z.string().min(1),
    /** KMS key for server-side encryption of state objects. @default the bucket's default key */
    kmsKeyId: z.string().optional(),
    /** Key prefix before `<stack-id>.tfstate`. @default "" */
    keyPrefix: z.string().default(""),
    /** S3-compatible endpoint, e.g. https://nyc3.digitaloceanspaces.com. @default AWS S3 */
    endpoint: z.string().url().optional(),
  })
  .strict();

/** An existing GCS bucket. */
export const GcsState = z
  .object({
    type: z.literal("gcs"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, { message: "must be a valid bucket name" }),
    /** Cloud KMS key that encrypts state objects. */
    kmsEncryptionKey: z.string().optional(),
    /** Prefix before `<stack-id>/`. @default "" */
    prefix: z.string().default(""),
  })
  .strict();

/** An existing Azure storage container. */
export const AzurermState = z
  .object({
    type: z.literal("azurerm"),
    resourceGroupName: z.string().min(1),
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, { message: "must be 3-24 lowercase letters and digits" }),
    containerName: z.string().min(3),
    subscriptionId: z.string().guid().optional(),
    tenantId: z.string().guid().optional(),
  })
  .strict();

/** HCP Terraform / Terraform Enterprise: one workspace per stack. */
export const CloudState = z
  .object({
    type: z.literal("cloud"),
    organization: z.string().min(1),
    /** @default "app.terraform.io" */
    hostname: z.string().default("app.terraform.io"),
    /** Prefix of every workspace name, followed by the stack id. @default "" */
    workspacePrefix: z.string().default(""),
    /** HCP Terraform project that holds the workspaces. */
    project: z.string().optional(),
  })
  .strict();

export const StateBackend = z.discriminatedUnion("type", [LocalState, NativeState, S3State, GcsState, AzurermState, CloudState]);
export type StateBackend = z.infer<typeof StateBackend>;
export type StateBackendInput = z.input<typeof StateBackend>;
