/**
 * State backends: where each stack keeps its state, and how another stack reads it.
 * One resolution (`resolveBackend`) serves both sides, so a reader always points at the writer's
 * backend and key, whatever backend each of them uses.
 */
import {
  AzurermBackend,
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateAzurerm,
  DataTerraformRemoteStateGcs,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  GcsBackend,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformRemoteState,
  TerraformStack,
} from "cdktf";
import { Construct } from "constructs";
import { CloudName, EnvironmentConfig, enabledClouds } from "./config/environment";
import type { StateBackend } from "./config/state";
import { Layer, compactName, resourceName, stackId } from "./naming";

/** A fully resolved backend for one stack: the kind plus everything needed to write or read it. */
export type ResolvedBackend =
  | { type: "local"; path: string }
  | { type: "s3"; bucket: string; key: string; region: string; kmsKeyId?: string; endpoint?: string }
  | { type: "gcs"; bucket: string; prefix: string; kmsEncryptionKey?: string }
  | { type: "azurerm"; resourceGroupName: string; storageAccountName: string; containerName: string; key: string; subscriptionId?: string; tenantId?: string }
  | { type: "cloud"; hostname: string; organization: string; workspace: string; project?: string };

/** The state store that `<env>-<cloud>-bootstrap` creates for a cloud (used by `native` state). */
export function nativeStateStore(env: EnvironmentConfig, cloud: "aws"): { bucket: string; region: string };
export function nativeStateStore(env: EnvironmentConfig, cloud: "gcp"): { bucket: string };
export function nativeStateStore(env: EnvironmentConfig, cloud: "azure"): { resourceGroupName: string; storageAccountName: string; containerName: string };
export function nativeStateStore(env: EnvironmentConfig, cloud: "digitalocean"): { bucket: string; region: string; endpoint: string };
export function nativeStateStore(env: EnvironmentConfig, cloud: "aws" | "gcp" | "azure" | "digitalocean"): Record<string, string>;
export function nativeStateStore(env: EnvironmentConfig, cloud: "aws" | "gcp" | "azure" | "digitalocean"): Record<string, string> {
  switch (cloud) {
    case "aws":
      return { bucket: resourceName(env, ["tfstate", env.clouds.aws?.accountId ?? "unknown"]), region: env.clouds.aws?.region ?? "us-east-1" };
    case "gcp":
      return { bucket: resourceName(env, ["tfstate", env.clouds.gcp?.projectId ?? "unknown"]) };
    case "azure":
      return {
        resourceGroupName: resourceName(env, ["tfstate"], 90),
        storageAccountName: compactName(env, ["tfstate"], 24),
        containerName: "tfstate",
      };
    case "digitalocean":
      return {
        bucket: resourceName(env, ["tfstate"]),
        region: env.clouds.digitalocean?.region ?? "nyc3",
        endpoint: `https://${env.clouds.digitalocean?.region ?? "nyc3"}.digitaloceanspaces.com`,
      };
  }
}

/** The region the s3 backend signs Spaces requests for. */
const SPACES_SIGNING_REGION = "us-east-1";

/** Which cloud's native store keeps a stack's state under `native` state. */
function nativeOwner(cloud: CloudName, fallback: "aws" | "gcp" | "azure" | "digitalocean") {
  if (cloud === "aws" || cloud === "gcp" || cloud === "azure") return cloud;
  return fallback;
}

/** The backend config in force for a cloud: the cloud's own override, else the environment's. */
export function backendConfigFor(env: EnvironmentConfig, cloud: CloudName): StateBackend {
  const override = cloud === "cloudflare" ? env.cloudflare?.state : cloud === "interconnect" ? env.interconnect.state : env.clouds[cloud]?.state;
  return override ?? env.state;
}

/** Resolves where the stack `<env>-<cloud>-<layer>` keeps its state. Bootstrap stacks always use local state. */
export function resolveBackend(env: EnvironmentConfig, cloud: CloudName, layer: Layer): ResolvedBackend {
  const id = stackId(env, cloud, layer);
  const config: StateBackend = layer === "bootstrap" ? { type: "local", directory: localDirectory(env) } : backendConfigFor(env, cloud);
  switch (config.type) {
    case "local":
      // Relative to the stack's working directory, cdktf.out/stacks/<id>: state lives beside the repo,
      // outside cdktf.out, so a fresh synth never touches it.
      return { type: "local", path: `../../../${config.directory}/${id}.tfstate` };
    case "s3":
      return { type: "s3", bucket: config.bucket, key: `${config.keyPrefix}${id}.tfstate`, region: config.region, kmsKeyId: config.kmsKeyId, endpoint: config.endpoint };
    case "gcs":
      return { type: "gcs", bucket: config.bucket, prefix: `${config.prefix}${id}`, kmsEncryptionKey: config.kmsEncryptionKey };
    case "azurerm":
      return { type: "azurerm", resourceGroupName: config.resourceGroupName, storageAccountName: config.storageAccountName, containerName: config.containerName, key: `${id}.tfstate`, subscriptionId: config.subscriptionId, tenantId: config.tenantId };
    case "cloud":
      return { type: "cloud", hostname: config.hostname, organization: config.organization, workspace: `${config.workspacePrefix}${id}`, project: config.project };
    case "native": {
      const owner = nativeOwner(cloud, config.fallback);
      if (owner === "aws") return { type: "s3", ...(nativeStateStore(env, "aws") as { bucket: string; region: string }), key: `${id}.tfstate` };
      if (owner === "gcp") return { type: "gcs", ...(nativeStateStore(env, "gcp") as { bucket: string }), prefix: id };
      if (owner === "azure") {
        const store = nativeStateStore(env, "azure") as { resourceGroupName: string; storageAccountName: string; containerName: string };
        return { type: "azurerm", ...store, key: `${id}.tfstate`, subscriptionId: env.clouds.azure?.subscriptionId, tenantId: env.clouds.azure?.tenantId };
      }
      // Spaces takes the bucket's region from the endpoint; requests are signed for us-east-1, as
      // DigitalOcean documents for the s3 backend.
      const spaces = nativeStateStore(env, "digitalocean");
      return { type: "s3", bucket: spaces.bucket, endpoint: spaces.endpoint, region: SPACES_SIGNING_REGION, key: `${id}.tfstate` };
    }
  }
}

function localDirectory(env: EnvironmentConfig): string {
  return env.state.type === "local" ? env.state.directory : "terraform-state";
}

/** The stack of an environment whose native store keeps `backend`'s state, if any (for deploy ordering). */
export function nativeStoreOwner(env: EnvironmentConfig, cloud: CloudName): "aws" | "gcp" | "azure" | "digitalocean" | undefined {
  const config = backendConfigFor(env, cloud);
  return config.type === "native" ? nativeOwner(cloud, config.fallback) : undefined;
}

/** S3-compatible endpoints (DigitalOcean Spaces) skip the AWS-only checks of the s3 backend. */
function s3CompatibleSettings(endpoint: string | undefined) {
  return endpoint
    ? {
        endpoints: { s3: endpoint },
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
      }
    : {};
}

/** Configures `stack` to keep its state in `backend`. */
export function applyBackend(stack: TerraformStack, backend: ResolvedBackend): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: backend.path });
      return;
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        // S3-compatible stores (Spaces) encrypt at rest themselves; DigitalOcean's backend guide sends no SSE header.
        encrypt: backend.endpoint ? undefined : true,
        kmsKeyId: backend.kmsKeyId,
        ...s3CompatibleSettings(backend.endpoint),
      });
      // Native S3 locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig has no `useLockfile`.
      s3.addOverride("use_lockfile", true);
      return;
    }
    case "gcs":
      new GcsBackend(stack, { bucket: backend.bucket, prefix: backend.prefix, kmsEncryptionKey: backend.kmsEncryptionKey });
      return;
    case "azurerm":
      new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
        subscriptionId: backend.subscriptionId,
        tenantId: backend.tenantId,
        useAzureadAuth: true,
      });
      return;
    case "cloud":
      new CloudBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(backend.workspace, backend.project),
      });
      return;
  }
}

/** A `terraform_remote_state` data source reading `backend`, with `defaults` for outputs not there yet. */
export function remoteStateFor(scope: Construct, id: string, backend: ResolvedBackend, defaults: Record<string, unknown>): TerraformRemoteState {
  switch (backend.type) {
    case "local":
      return new DataTerraformRemoteStateLocal(scope, id, { path: backend.path, defaults });
    case "s3":
      return new DataTerraformRemoteStateS3(scope, id, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        ...s3CompatibleSettings(backend.endpoint),
        defaults,
      });
    case "gcs":
      return new DataTerraformRemoteStateGcs(scope, id, { bucket: backend.bucket, prefix: backend.prefix, defaults });
    case "azurerm":
      return new DataTerraformRemoteStateAzurerm(scope, id, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key,
        subscriptionId: backend.subscriptionId,
        tenantId: backend.tenantId,
        useAzureadAuth: true,
        defaults,
      });
    case "cloud":
      return new DataTerraformRemoteState(scope, id, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: { name: backend.workspace },
        defaults,
      });
  }
}

/** True when some stack of the environment keeps its state in the DigitalOcean Spaces store. */
export function usesDigitalOceanStateStore(env: EnvironmentConfig): boolean {
  const clouds: CloudName[] = [...enabledClouds(env), ...(env.cloudflare ? (["cloudflare"] as const) : [])];
  return clouds.some((cloud) => nativeStoreOwner(env, cloud) === "digitalocean");
}
