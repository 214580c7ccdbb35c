import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Droplet } from "@cdktf/provider-digitalocean/lib/droplet";
import { DigitaloceanProvider } from "@cdktf/provider-digitalocean/lib/provider";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { SqlDatabaseInstance } from "@cdktf/provider-google/lib/sql-database-instance";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { Testing } from "cdktf";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LayerStack } from "../../modules/layer-stack";
import { gcpLabels } from "../../modules/tags";
import { shippedEnvironment, synthJson } from "../support/synth";

const production = shippedEnvironment("production");
const staging = shippedEnvironment("staging");

describe("standard tags aspect", () => {
  const stack = new LayerStack(Testing.app(), { env: production, cloud: "aws", layer: "data" });
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new S3Bucket(stack, "bucket", { bucket: "b", tags: { purpose: "objects", owner: "data-team" } });
  new GoogleProvider(stack, "google", { project: "p" });
  new StorageBucket(stack, "gcs", { name: "g", location: "US", labels: { purpose: "objects" } });
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  new ResourceGroup(stack, "rg", { name: "rg", location: "eastus" });
  new DigitaloceanProvider(stack, "do", {});
  new Droplet(stack, "droplet", { name: "d", image: "ubuntu-24-04-x64", size: "s-1vcpu-1gb", tags: ["web"] });
  const json = synthJson(stack);

  test("AWS resources get the standard set, keeping their own tags (which win on conflict)", () => {
    expect(Object.values(json.resource!.aws_s3_bucket)[0].tags).toEqual({
      environment: "production",
      project: "addtocloud",
      owner: "data-team",
      "cost-center": "cc-platform",
      "managed-by": "cdktf",
      purpose: "objects",
    });
  });

  test("GCP resources get lowercase labels", () => {
    expect(Object.values(json.resource!.google_storage_bucket)[0].labels).toEqual({
      environment: "production",
      project: "addtocloud",
      owner: "platform-team",
      "cost-center": "cc-platform",
      "managed-by": "cdktf",
      purpose: "objects",
    });
    expect(gcpLabels({ "Cost.Center": "CC 42" })).toEqual({ "cost_center": "cc_42" });
  });

  test("Azure resources get tags", () => {
    expect(Object.values(json.resource!.azurerm_resource_group)[0].tags).toMatchObject({ environment: "production", "managed-by": "cdktf" });
  });

  test("DigitalOcean resources get key:value tags after their own", () => {
    expect(Object.values(json.resource!.digitalocean_droplet)[0].tags).toEqual([
      "web",
      "environment:production",
      "project:addtocloud",
      "owner:platform-team",
      "cost-center:cc-platform",
      "managed-by:cdktf",
    ]);
  });

  test("synthesizing twice does not duplicate tags", () => {
    expect(Object.values(synthJson(stack).resource!.digitalocean_droplet)[0].tags).toHaveLength(6);
  });
});

describe("production policy guards", () => {
  function synthInto(build: (stack: LayerStack) => void, env = production): () => void {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    const app = Testing.app({ outdir });
    const stack = new LayerStack(app, { env, cloud: "aws", layer: "data" });
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    build(stack);
    return () => app.synth();
  }
  const db = (stack: LayerStack, overrides: Partial<ConstructorParameters<typeof DbInstance>[2]> = {}) =>
    new DbInstance(stack, "postgres", {
      engine: "postgres",
      instanceClass: "db.t4g.micro",
      storageEncrypted: true,
      deletionProtection: true,
      publiclyAccessible: false,
      ...overrides,
    });

  test("a compliant production database synthesizes", () => {
    expect(synthInto((stack) => db(stack))).not.toThrow();
  });

  test("unencrypted production storage fails synthesis naming the construct path", () => {
    expect(synthInto((stack) => db(stack, { storageEncrypted: false }))).toThrow(
      "[production-aws-data/postgres] [policy:encryption] aws_db_instance: storage is not encrypted (storage_encrypted must be true)",
    );
  });

  test("a publicly reachable production database fails synthesis", () => {
    expect(synthInto((stack) => db(stack, { publiclyAccessible: true }))).toThrow(
      "[production-aws-data/postgres] [policy:public-access] aws_db_instance: the database is publicly accessible",
    );
  });

  test("a production database without deletion protection fails synthesis", () => {
    expect(synthInto((stack) => db(stack, { deletionProtection: false }))).toThrow(
      "[production-aws-data/postgres] [policy:deletion-protection] aws_db_instance: the database lacks deletion protection",
    );
  });

  test("a stateful resource without prevent_destroy fails; with it, it passes", () => {
    expect(synthInto((stack) => new S3Bucket(stack, "objects", { bucket: "b" }))).toThrow(
      "[production-aws-data/objects] [policy:deletion-protection] aws_s3_bucket: the stateful resource lacks deletion protection (set lifecycle.prevent_destroy)",
    );
    expect(synthInto((stack) => new S3Bucket(stack, "objects", { bucket: "b", lifecycle: { preventDestroy: true } }))).not.toThrow();
  });

  test("a Cloud SQL instance with a public IP fails in production", () => {
    expect(
      synthInto((stack) => {
        new GoogleProvider(stack, "google", { project: "p" });
        new SqlDatabaseInstance(stack, "sql", { databaseVersion: "POSTGRES_16", region: "us-central1", settings: { tier: "db-custom-2-7680", ipConfiguration: { ipv4Enabled: true } } });
      }),
    ).toThrow("[production-aws-data/sql] [policy:public-access] google_sql_database_instance: the database has a public IP");
  });

  test("staging is not guarded: relaxing a default there is allowed", () => {
    expect(synthInto((stack) => db(stack, { deletionProtection: false }), staging)).not.toThrow();
  });
});
