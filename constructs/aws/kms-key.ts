/**
 * A customer-managed KMS key with yearly rotation, a 30-day deletion window and an explicit key
 * policy: the account administers it through IAM, and the AWS services named in `servicePrincipals`
 * (CloudWatch Logs needs this to encrypt log groups) may use it within this account.
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyDocument } from "./service-role";

/** Properties for {@link CustomerManagedKey}. */
export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `addtocloud-production-eks`. */
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /**
   * Let CloudWatch Logs in this region encrypt log groups of this account with the key.
   * @default false
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * Roles (typically service-linked, e.g. EC2 Auto Scaling's) that may encrypt and decrypt with the
   * key and create grants for the AWS resources they manage (encrypted EBS volumes of node groups).
   * @default none
   */
  readonly resourceGrantRoleArns?: readonly string[];
  /**
   * Keep the key when the stack is destroyed (`lifecycle.prevent_destroy`).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  /** ARN of the key. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const statements: Record<string, unknown>[] = [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ];
    if (props.allowCloudWatchLogs ?? false) {
      statements.push({
        Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` } },
      });
    }
    if (props.resourceGrantRoleArns && props.resourceGrantRoleArns.length > 0) {
      const roles = [...props.resourceGrantRoleArns];
      statements.push(
        {
          Sid: "ServiceRolesUseKey",
          Effect: "Allow",
          Principal: { AWS: roles },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
        },
        {
          Sid: "ServiceRolesGrantToAwsResources",
          Effect: "Allow",
          Principal: { AWS: roles },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
      );
    }
    this.key = new KmsKey(this, "key", {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument(statements),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
    this.arn = this.key.arn;
  }
}
