/**
 * A private Spaces bucket: versioned, old versions expired after a set time, incomplete uploads
 * cleaned up, CORS only for the origins given. Spaces encrypts every object at rest with keys
 * DigitalOcean manages (there is no customer-managed key option).
 */
import { SpacesBucket } from "@cdktf/provider-digitalocean/lib/spaces-bucket";
import { SpacesBucketCorsConfiguration } from "@cdktf/provider-digitalocean/lib/spaces-bucket-cors-configuration";
import { Construct } from "constructs";

/** Properties for {@link SecureSpacesBucket}. */
export interface SecureSpacesBucketProps {
  readonly name: string;
  readonly region: string;
  /** Days a noncurrent object version is kept. */
  readonly noncurrentVersionExpirationDays: number;
  /** Browser origins allowed to read and upload (e.g. `https://addtocloud.tech`). @default none: no CORS */
  readonly corsOrigins?: readonly string[];
  /** Refuse to destroy the bucket. @default false */
  readonly preventDestroy?: boolean;
}

export class SecureSpacesBucket extends Construct {
  readonly bucket: SpacesBucket;
  /** `https://<region>.digitaloceanspaces.com`. */
  readonly endpoint: string;

  constructor(scope: Construct, id: string, props: SecureSpacesBucketProps) {
    super(scope, id);
    this.bucket = new SpacesBucket(this, "bucket", {
      name: props.name,
      region: props.region,
      acl: "private",
      forceDestroy: false,
      versioning: { enabled: true },
      lifecycleRule: [
        {
          id: "expire-noncurrent-versions",
          enabled: true,
          abortIncompleteMultipartUploadDays: 7,
          noncurrentVersionExpiration: { days: props.noncurrentVersionExpirationDays },
        },
      ],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.endpoint = `https://${props.region}.digitaloceanspaces.com`;
    if (props.corsOrigins && props.corsOrigins.length > 0) {
      for (const origin of props.corsOrigins) {
        if (!/^https:\/\/[a-z0-9.-]+$/.test(origin)) throw new Error(`SecureSpacesBucket '${props.name}': CORS origin ${origin} must be https://<host>`);
      }
      new SpacesBucketCorsConfiguration(this, "cors", {
        bucket: this.bucket.name,
        region: props.region,
        corsRule: [
          {
            allowedOrigins: [...props.corsOrigins],
            allowedMethods: ["GET", "HEAD", "PUT"],
            allowedHeaders: ["Content-Type", "Content-MD5", "Authorization", "x-amz-date", "x-amz-content-sha256"],
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3600,
          },
        ],
      });
    }
  }
}
