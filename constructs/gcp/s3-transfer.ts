/**
 * A scheduled copy of an S3 bucket into a GCS bucket by Storage Transfer Service, authenticated by
 * identity federation instead of access keys: an IAM role in the bucket's AWS account that only the
 * project's Storage Transfer service agent may assume (`accounts.google.com` web identity, its
 * subject id), allowed to list and read that one bucket and to decrypt through S3 only.
 *
 * Objects deleted in S3 stay in GCS (the sink keeps what it has; its versioning keeps overwritten
 * generations), so a deletion or a ransomware rewrite on the primary does not erase the copy.
 */
import { DataGoogleStorageTransferProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-transfer-project-service-account";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { StorageTransferJob } from "@cdktf/provider-google/lib/storage-transfer-job";
import { Construct } from "constructs";
import { ServiceRole } from "../aws/service-role";

/** Properties for {@link S3ToGcsTransfer}. */
export interface S3ToGcsTransferProps {
  /** The GCP project whose Storage Transfer service agent runs the job. */
  readonly projectId: string;
  /** Name of the IAM role made in the source account. */
  readonly roleName: string;
  readonly sourceAccountId: string;
  readonly sourceRegion: string;
  readonly sourceBucketName: string;
  readonly sinkBucketName: string;
  /**
   * Seconds between runs (each run copies what is new or changed).
   * @default 3600
   */
  readonly repeatIntervalSeconds?: number;
}

export class S3ToGcsTransfer extends Construct {
  readonly job: StorageTransferJob;
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: S3ToGcsTransferProps) {
    super(scope, id);
    const interval = props.repeatIntervalSeconds ?? 3600;
    if (interval < 3600) throw new Error(`S3ToGcsTransfer '${props.roleName}': 'repeatIntervalSeconds' (${interval}) must be at least 3600, Storage Transfer's minimum`);
    const agent = new DataGoogleStorageTransferProjectServiceAccount(this, "agent", { project: props.projectId });
    const bucketArn = `arn:aws:s3:::${props.sourceBucketName}`;
    this.role = new ServiceRole(this, "role", {
      roleName: props.roleName,
      description: `Storage Transfer Service of ${props.projectId} reads ${props.sourceBucketName}`,
      assumeRolePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: "accounts.google.com" },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "accounts.google.com:sub": agent.subjectId } },
          },
        ],
      },
      statements: [
        { Sid: "ListTheBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
        { Sid: "ReadItsObjects", Effect: "Allow", Action: ["s3:GetObject"], Resource: `${bucketArn}/*` },
        {
          // The bucket is SSE-KMS: decrypt with the account's keys, and only on S3's behalf.
          Sid: "DecryptThroughS3",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: `arn:aws:kms:${props.sourceRegion}:${props.sourceAccountId}:key/*`,
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.sourceRegion}.amazonaws.com` } },
        },
      ],
    });
    // buckets.get, objects.create/delete/list on the sink, what the service agent needs to write.
    const sinkAccess = new StorageBucketIamMember(this, "sink-writer", {
      bucket: props.sinkBucketName,
      role: "roles/storage.legacyBucketWriter",
      member: agent.member,
    });
    this.job = new StorageTransferJob(this, "job", {
      project: props.projectId,
      description: `Copy s3://${props.sourceBucketName} to gs://${props.sinkBucketName} every ${interval / 3600} h`,
      transferSpec: {
        awsS3DataSource: { bucketName: props.sourceBucketName, roleArn: this.role.arn },
        gcsDataSink: { bucketName: props.sinkBucketName },
        transferOptions: { overwriteWhen: "DIFFERENT", deleteObjectsUniqueInSink: false, deleteObjectsFromSourceAfterTransfer: false },
      },
      // A start date in the past starts the schedule at the next interval after the job is created.
      schedule: { scheduleStartDate: { year: 2026, month: 1, day: 1 }, repeatInterval: `${interval}s` },
      loggingConfig: { logActions: ["FIND", "COPY"], logActionStates: ["FAILED"] },
      dependsOn: [sinkAccess, this.role.role],
    });
  }
}
