/**
 * A private GCS bucket: uniform bucket-level access, public access prevention enforced, versioned,
 * encrypted with a customer-managed key, noncurrent versions expired, access logged to a log bucket
 * when one is given, soft delete kept for a week.
 */
import { StorageBucket, StorageBucketCors } from "@cdktf/provider-google/lib/storage-bucket";
import { Construct } from "constructs";

/** Properties for {@link GcsBucket}. */
export interface GcsBucketProps {
  readonly bucketName: string;
  readonly location: string;
  /** CMEK key id. The project's GCS service agent must be able to use it. */
  readonly kmsKeyId: string;
  /**
   * Bucket that receives this bucket's usage and storage logs.
   * @default no access logs (only for the log bucket itself)
   */
  readonly logBucketName?: string;
  /** @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** @default none */
  readonly cors?: StorageBucketCors[];
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class GcsBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly name: string;

  constructor(scope: Construct, id: string, props: GcsBucketProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, "bucket", {
      name: props.bucketName,
      location: props.location,
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: props.kmsKeyId },
      softDeletePolicy: { retentionDurationSeconds: 604800 },
      lifecycleRule: [
        { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: props.noncurrentVersionExpirationDays ?? 90, withState: "ARCHIVED" } },
        { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
      ],
      logging: props.logBucketName ? { logBucket: props.logBucketName, logObjectPrefix: `${props.bucketName}/` } : undefined,
      cors: props.cors,
      forceDestroy: false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.name = this.bucket.name;
  }
}
