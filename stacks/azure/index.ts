/**
 * The Azure stacks of an environment: bootstrap (the state storage account), network, cluster
 * (private AKS) and data (PostgreSQL Flexible Server, Cosmos DB for MongoDB, Azure Cache for Redis,
 * Key Vault, object storage). Each stack picks constructs, passes config and publishes its contract.
 */
import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { Construct } from "constructs";
import { AksCluster } from "../../constructs/azure/aks-cluster";
import { CosmosMongo } from "../../constructs/azure/cosmos-mongo";
import { SecureKeyVault, deployVaultAccess } from "../../constructs/azure/key-vault";
import { PostgresFlexible } from "../../constructs/azure/postgres-flexible";
import { PostgresVaultedBackup } from "../../constructs/azure/postgres-vaulted-backup";
import { privateEndpoint } from "../../constructs/azure/private-endpoint";
import { azureProvider } from "../../constructs/azure/provider";
import { SecureRedisCache } from "../../constructs/azure/redis-cache";
import { SecureStorageAccount } from "../../constructs/azure/storage-account";
import { VnetNetwork } from "../../constructs/azure/vnet-network";
import { nativeStateStore } from "../../modules/backends";
import type { AzureConfig } from "../../modules/config/clouds/azure";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import { copySourceStackId, copyingClouds, replicationStatus } from "../../modules/config/data-roles";
import { mongodbRefreshAccess, objectsCopyAccess, postgresRefreshAccess } from "./copies";
import { postgresRestoreCheckAccess } from "./restore-check";
import { AzureClusterContract, AzureDataContract, AzureNetworkContract, BootstrapContract } from "../../modules/contracts/layers";
import { LayerStack } from "../../modules/layer-stack";
import { compactName, resourceName } from "../../modules/naming";
import type { CloudStacks } from "../types";
import { buildAzureMessaging } from "./messaging";
import { GithubIdentities } from "../../constructs/azure/github-identities";
import { applyEnvironment, githubIdentityName, pipelineIdentitiesEnabled, publishPipelineIdentities } from "../../modules/delivery";
import { AZURE_PORTS } from "../../constructs/azure/ports";

/** Ports of the Azure data services (TLS on each). */
export { AZURE_PORTS } from "../../constructs/azure/ports";

export function buildAzureStacks(scope: Construct, env: EnvironmentConfig, built: Partial<Record<KubernetesCloud, CloudStacks>> = {}): CloudStacks {
  const azure = env.clouds.azure;
  if (!azure) return {};
  const bootstrap = buildBootstrap(scope, env, azure);
  const network = buildNetwork(scope, env, azure);
  const cluster = buildCluster(scope, env, azure, network);
  const data = buildData(scope, env, azure, network, cluster, built.aws?.data);
  const messaging = buildAzureMessaging(scope, env, azure, network);
  return { bootstrap, network, cluster, data, messaging };
}

function azureStack(scope: Construct, env: EnvironmentConfig, azure: AzureConfig, layer: "bootstrap" | "network" | "cluster" | "data"): LayerStack {
  const stack = new LayerStack(scope, { env, cloud: "azure", layer });
  azureProvider(stack, azure);
  return stack;
}

/** The name of the environment's AKS cluster. */
export function aksClusterName(env: EnvironmentConfig): string {
  return resourceName(env, ["aks"]);
}

/** `<env>-azure-bootstrap`: the storage account and container that hold state under `native` state. */
function buildBootstrap(scope: Construct, env: EnvironmentConfig, azure: AzureConfig): LayerStack {
  const stack = azureStack(scope, env, azure, "bootstrap");
  const store = nativeStateStore(env, "azure");
  const group = new ResourceGroup(stack, "state-resource-group", {
    name: store.resourceGroupName,
    location: azure.location,
    lifecycle: { preventDestroy: true },
  });
  // Terraform reaches the state account from outside the VNet: public network access stays on
  // (limited to `deployAllowlist` when it lists networks), and only Entra ID identities with a
  // data role can read or write (shared keys are off).
  const state = new SecureStorageAccount(stack, "state", {
    name: store.storageAccountName,
    resourceGroupName: group.name,
    location: azure.location,
    containerName: store.containerName,
    replication: stack.production ? "GZRS" : "ZRS",
    publicNetworkAccess: true,
    allowedIps: azure.deployAllowlist,
    preventDestroy: true,
  });
  stack.publish(BootstrapContract, { state_bucket: state.account.name, state_encryption_key: "" });
  if (pipelineIdentitiesEnabled(env)) {
    const github = new GithubIdentities(stack, "github-actions", {
      subscriptionId: azure.subscriptionId,
      resourceGroupName: group.name,
      location: azure.location,
      repository: env.delivery.github.repository,
      applyEnvironment: applyEnvironment(env),
      planIdentityName: githubIdentityName(env, "azure", "plan"),
      applyIdentityName: githubIdentityName(env, "azure", "apply"),
      stateContainerId: state.container.resourceManagerId,
    });
    publishPipelineIdentities(stack, {
      github_plan_client_id: { value: github.plan.clientId, description: "Client id pull-request jobs log in with to plan (repository variable AZURE_PLAN_CLIENT_ID_<ENV>)" },
      github_apply_client_id: { value: github.apply.clientId, description: "Client id the protected environment's jobs log in with to apply (repository variable AZURE_APPLY_CLIENT_ID_<ENV>)" },
    });
  }
  return stack;
}

/** `<env>-azure-network`. */
function buildNetwork(scope: Construct, env: EnvironmentConfig, azure: AzureConfig): LayerStack {
  const stack = azureStack(scope, env, azure, "network");
  const network = new VnetNetwork(stack, "network", {
    namePrefix: resourceName(env, []),
    location: azure.location,
    cidr: azure.network.cidr,
    podCidr: azure.network.podCidr,
    preventDestroy: stack.production,
  });
  stack.publish(AzureNetworkContract, {
    vpc_id: network.vnet.id,
    vpc_cidr: azure.network.cidr,
    private_subnet_ids: [network.subnets.nodes.id, network.subnets.endpoints.id],
    public_subnet_ids: [network.subnets.appgw.id],
    database_subnet_ids: [network.subnets.postgres.id],
    region: azure.location,
    resource_group_name: network.resourceGroup.name,
    nodes_subnet_id: network.subnets.nodes.id,
    appgw_subnet_id: network.subnets.appgw.id,
    endpoints_subnet_id: network.subnets.endpoints.id,
    postgres_subnet_id: network.subnets.postgres.id,
    postgres_dns_zone_id: network.postgresDnsZone.id,
    mongo_dns_zone_id: network.privateLinkZones.mongo.id,
    redis_dns_zone_id: network.privateLinkZones.redis.id,
    vault_dns_zone_id: network.privateLinkZones.vault.id,
    blob_dns_zone_id: network.privateLinkZones.blob.id,
    nat_public_ip: network.natPublicIp.ipAddress,
  });
  return stack;
}

/** `<env>-azure-cluster`: private AKS on the network's nodes subnet. */
function buildCluster(scope: Construct, env: EnvironmentConfig, azure: AzureConfig, networkStack: LayerStack): LayerStack {
  const stack = azureStack(scope, env, azure, "cluster");
  const network = stack.read(AzureNetworkContract, networkStack);
  const c = azure.cluster;
  const aks = new AksCluster(stack, "aks", {
    name: aksClusterName(env),
    resourceGroupName: network.resource_group_name,
    location: azure.location,
    tenantId: azure.tenantId,
    kubernetesVersion: c.kubernetesVersion,
    nodesSubnetId: network.nodes_subnet_id,
    podCidr: azure.network.podCidr,
    serviceCidr: azure.network.serviceCidr,
    apiServerAuthorizedCidrs: c.apiServerAuthorizedCidrs,
    adminGroupObjectIds: c.adminGroupObjectIds,
    systemPool: { vmSize: c.systemPool.vmSize, minCount: c.systemPool.scaling.min, maxCount: c.systemPool.scaling.max },
    userPool: { vmSize: c.userPool.vmSize, minCount: c.userPool.scaling.min, maxCount: c.userPool.scaling.max },
    upgradeChannel: c.upgradeChannel,
    maintenanceDay: c.maintenance.day,
    maintenanceStartTime: c.maintenance.startTime,
    maintenanceDurationHours: c.maintenance.durationHours,
    logRetentionDays: c.logRetentionDays,
    skuTier: stack.production ? "Standard" : "Free",
    preventDestroy: stack.production,
  });
  const cluster = aks.cluster;
  stack.publish(AzureClusterContract, {
    cluster_name: cluster.name,
    // A private cluster answers on its private FQDN, resolvable inside the VNet (and peered networks).
    cluster_endpoint: c.apiServerAuthorizedCidrs.length === 0 ? `https://${cluster.privateFqdn}:443` : `https://${cluster.fqdn}:443`,
    cluster_ca_certificate: aks.caCertificate,
    oidc_issuer_url: cluster.oidcIssuerUrl,
    kubernetes_version: cluster.currentKubernetesVersion,
    region: azure.location,
    resource_group_name: network.resource_group_name,
    cluster_id: cluster.id,
    kubelet_identity_object_id: cluster.kubeletIdentity.objectId,
    tenant_id: azure.tenantId,
    egress_ip: network.nat_public_ip,
    endpoints_subnet_id: network.endpoints_subnet_id,
    vault_dns_zone_id: network.vault_dns_zone_id,
  });
  return stack;
}

/** `<env>-azure-data`: the backup copy of the platform's data, reachable only inside the VNet. */
/**
 * @param clusterStack the AKS stack (its OIDC issuer), read only when the server is refreshed from the primary
 * @param primaryData the data stack of the primary on AWS, when this cloud copies it
 */
function buildData(scope: Construct, env: EnvironmentConfig, azure: AzureConfig, networkStack: LayerStack, clusterStack: LayerStack, primaryData?: LayerStack): LayerStack {
  const stack = azureStack(scope, env, azure, "data");
  new RandomProvider(stack, "random");
  const network = stack.read(AzureNetworkContract, networkStack);
  const d = azure.data;
  const production = stack.production;
  const place = { resourceGroupName: network.resource_group_name, location: azure.location };

  // The data secrets and the customer-managed key of Cosmos DB and the objects account.
  const vaultName = compactName(env, ["kv"], 24);
  const vault = new SecureKeyVault(stack, "vault", {
    ...place,
    name: vaultName,
    tenantId: azure.tenantId,
    // Terraform writes the key and the password from inside the VNet through the private endpoint,
    // or from the deploy allowlist on the public endpoint; see keyVaultAccess.
    ...deployVaultAccess(azure, { subnetId: network.endpoints_subnet_id, dnsZoneId: network.vault_dns_zone_id }),
    trustedServices: true,
    preventDestroy: production,
  });
  const password = vault.generatedPassword("postgres", "postgres-admin-password");
  const cmk = vault.customerManagedKey("encryption-identity", `${vaultName}-encryption`, vault.wrappingKey("encryption-key", "data-encryption"));

  const postgres = new PostgresFlexible(stack, "postgres", {
    ...place,
    name: resourceName(env, ["pg"]),
    version: d.postgres.version,
    skuName: d.postgres.skuName ?? (production ? "GP_Standard_D2ds_v5" : "B_Standard_B1ms"),
    storageMb: d.postgres.storageMb,
    delegatedSubnetId: network.postgres_subnet_id,
    privateDnsZoneId: network.postgres_dns_zone_id,
    tenantId: azure.tenantId,
    administratorPasswordWo: password.value,
    administratorPasswordWoVersion: password.version,
    backupRetentionDays: d.postgres.backupRetentionDays ?? (production ? 35 : 7),
    geoRedundantBackup: production,
    zoneRedundantHa: production,
    preventDestroy: production,
  });


  // The backup cloud keeps vaulted PostgreSQL backups beyond the server's own 35-day window.
  if (d.role === "backup") {
    new PostgresVaultedBackup(stack, "postgres-backup", {
      ...place,
      name: resourceName(env, ["pg-backup"], 50),
      resourceGroupId: `/subscriptions/${azure.subscriptionId}/resourceGroups/${network.resource_group_name}`,
      serverId: postgres.server.id,
      production,
    });
  }

  // Cosmos DB is refreshed from the primary's DocumentDB by a CronJob on AKS (platform stack).
  const copiesMongodb = primaryData !== undefined && env.clouds.aws !== undefined && copyingClouds(env, "mongodb").includes("azure");
  const mongo = d.cosmosMongo.enabled
    ? new CosmosMongo(stack, "mongo", {
        ...place,
        name: resourceName(env, ["mongo"], 44),
        serverVersion: d.cosmosMongo.serverVersion,
        secondaryLocation: production ? (d.cosmosMongo.secondaryLocation ?? "westus") : d.cosmosMongo.secondaryLocation,
        zoneRedundant: production,
        backupTier: production ? "Continuous30Days" : "Continuous7Days",
        endpointSubnetId: network.endpoints_subnet_id,
        dnsZoneId: network.mongo_dns_zone_id,
        customerManagedKey: cmk,
        // The refresh's mongorestore --drop drops and recreates collections with the account key.
        keyBasedMetadataWrites: copiesMongodb,
        preventDestroy: production,
      })
    : undefined;

  const redis = d.redis.enabled
    ? new SecureRedisCache(stack, "redis", {
        ...place,
        name: resourceName(env, ["redis"]),
        premium: production,
        zones: d.redis.zones,
        replicasPerPrimary: d.redis.replicasPerPrimary,
        endpointSubnetId: network.endpoints_subnet_id,
        dnsZoneId: network.redis_dns_zone_id,
        preventDestroy: production,
      })
    : undefined;

  const objects = new SecureStorageAccount(stack, "objects", {
    ...place,
    name: compactName(env, ["objects"], 24),
    containerName: "objects",
    replication: production ? "GZRS" : "ZRS",
    customerManagedKey: cmk,
    preventDestroy: production,
  });
  privateEndpoint(stack, "objects-endpoint", {
    ...place,
    name: `${objects.account.name}-blob-pe`,
    subnetId: network.endpoints_subnet_id,
    resourceId: objects.account.id,
    subresource: "blob",
    dnsZoneId: network.blob_dns_zone_id,
  });

  // The backup server is refreshed from the AWS primary by a CronJob on AKS (platform stack).
  const refresh =
    primaryData && env.clouds.aws && copyingClouds(env, "postgres").includes("azure")
      ? postgresRefreshAccess(stack, { aws: env.clouds.aws, primaryData, clusterStack, vault, objects, place })
      : undefined;
  // The restore check of the archived dumps (a CronJob on AKS) reads them with an identity of its own.
  const restoreCheck = refresh
    ? postgresRestoreCheckAccess(stack, { oidcIssuerUrl: refresh.oidcIssuerUrl, dumpsContainerId: refresh.dumpsContainerId, targetSecretId: password.secret.resourceVersionlessId, place })
    : undefined;

  // The primary's objects are copied into the objects container by a CronJob on AKS (platform stack).
  const objectsCopy =
    primaryData && env.clouds.aws && copyingClouds(env, "objects").includes("azure")
      ? objectsCopyAccess(stack, { aws: env.clouds.aws, primaryData, clusterStack, objects, place })
      : undefined;

  const mongodbRefresh =
    primaryData && env.clouds.aws && mongo && copiesMongodb
      ? mongodbRefreshAccess(stack, { aws: env.clouds.aws, primaryData, clusterStack, vault, objects, cosmos: mongo.account, place })
      : undefined;

  stack.publish(AzureDataContract, {
    data_role: d.role,
    postgres_endpoint: postgres.server.fqdn,
    postgres_port: AZURE_PORTS.postgres,
    postgres_secret_ref: password.secret.versionlessId,
    mongodb_endpoint: mongo ? `${mongo.account.name}.mongo.cosmos.azure.com` : "",
    mongodb_port: AZURE_PORTS.mongodb,
    // Cosmos DB keys stay with the account (`az cosmosdb keys list`); the reference is its id.
    mongodb_secret_ref: mongo ? mongo.account.id : "",
    redis_endpoint: redis ? redis.cache.hostname : "",
    redis_port: AZURE_PORTS.redis,
    // Clients authenticate with Entra ID; the cache id is where access is granted.
    redis_secret_ref: redis ? redis.cache.id : "",
    object_bucket_name: `${objects.account.name}/${objects.container.name}`,
    object_storage_endpoint: objects.account.primaryBlobEndpoint,
    replication_source: copySourceStackId(env, "azure"),
    replication_status: replicationStatus(env, "azure", refresh || mongodbRefresh ? "scheduled-refresh" : objectsCopy ? "scheduled-copy" : undefined),
    postgres_replication_secret_ref: "",
    mongodb_copy_secret_ref: "",
    postgres_replication_secret_version: 0,
    mongodb_copy_secret_version: 0,
    key_vault_name: vault.vault.name,
    postgres_admin_login: postgres.server.administratorLogin,
    postgres_admin_secret_name: password.secret.name,
    postgres_source_host: refresh ? refresh.sourceHost : "",
    postgres_source_secret_name: refresh ? refresh.sourceSecretName : "",
    postgres_refresh_client_id: refresh ? refresh.clientId : "",
    postgres_dumps_url: refresh ? refresh.dumpsUrl : "",
    objects_source_bucket: objectsCopy ? objectsCopy.sourceBucket : "",
    objects_copy_role_arn: objectsCopy ? objectsCopy.roleArn : "",
    objects_copy_client_id: objectsCopy ? objectsCopy.clientId : "",
    objects_copy_account: objectsCopy ? objectsCopy.account : "",
    objects_copy_container: objectsCopy ? objectsCopy.container : "",
    postgres_restore_check_client_id: restoreCheck ? restoreCheck.clientId : "",
    mongodb_source_host: mongodbRefresh ? mongodbRefresh.sourceHost : "",
    mongodb_source_secret_name: mongodbRefresh ? mongodbRefresh.sourceSecretName : "",
    mongodb_target_secret_name: mongodbRefresh ? mongodbRefresh.targetSecretName : "",
    mongodb_refresh_client_id: mongodbRefresh ? mongodbRefresh.clientId : "",
    mongodb_dumps_url: mongodbRefresh ? mongodbRefresh.dumpsUrl : "",
  });
  return stack;
}
