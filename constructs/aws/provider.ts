/**
 * The AWS provider of a stack: the environment's region, and a guard that refuses to touch any
 * account but the configured one (a wrong profile fails the plan instead of changing another account).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { AwsConfig } from "../../modules/config/clouds/aws";

export function awsProvider(scope: Construct, aws: Pick<AwsConfig, "region" | "accountId">): AwsProvider {
  return new AwsProvider(scope, "aws", { region: aws.region, allowedAccountIds: [aws.accountId] });
}
