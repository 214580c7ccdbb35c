/**
 * Azure Cache for Redis: TLS 1.2 only (the non-TLS port closed), no public network access, a
 * private endpoint, Entra ID authentication only (access keys off); Premium across zones where asked (else Standard,
 * replicated). Azure refuses a Premium cache spread over more zones than it has nodes (the primary
 * plus its replicas), so the construct refuses it first.
 */
import { RedisCache } from "@cdktf/provider-azurerm/lib/redis-cache";
import { Construct } from "constructs";
import { privateEndpoint } from "./private-endpoint";

/** Properties for {@link SecureRedisCache}. */
export interface SecureRedisCacheProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Premium P1 across `zones`; otherwise Standard C1 (two nodes, no zone choice). */
  readonly premium: boolean;
  /** Premium only: the zones its nodes are spread over. @default ["1", "2", "3"] */
  readonly zones?: readonly string[];
  /** Premium only: replicas of the primary (1-3); nodes are replicas + 1. @default one per zone after the primary's */
  readonly replicasPerPrimary?: number;
  readonly endpointSubnetId: string;
  readonly dnsZoneId: string;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class SecureRedisCache extends Construct {
  readonly cache: RedisCache;

  constructor(scope: Construct, id: string, props: SecureRedisCacheProps) {
    super(scope, id);
    const zones = props.premium ? [...(props.zones ?? ["1", "2", "3"])] : undefined;
    const replicas = props.premium ? (props.replicasPerPrimary ?? Math.max(1, (zones?.length ?? 1) - 1)) : undefined;
    if (zones && replicas !== undefined && zones.length > replicas + 1) {
      throw new Error(`SecureRedisCache '${props.name}': ${zones.length} zones need at least ${zones.length} nodes, 'replicasPerPrimary' ${replicas} gives ${replicas + 1}`);
    }
    this.cache = new RedisCache(this, "cache", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: props.premium ? "Premium" : "Standard",
      family: props.premium ? "P" : "C",
      capacity: 1,
      zones,
      replicasPerPrimary: replicas,
      redisVersion: "6",
      minimumTlsVersion: "1.2",
      nonSslPortEnabled: false,
      publicNetworkAccessEnabled: false,
      // Entra ID only: no access keys to leak (clients get a data-access policy assignment).
      redisConfiguration: { activeDirectoryAuthenticationEnabled: true },
      accessKeysAuthenticationEnabled: false,
      patchSchedule: [{ dayOfWeek: "Sunday", startHourUtc: 5 }],
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    privateEndpoint(this, "endpoint", {
      name: `${props.name}-pe`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.endpointSubnetId,
      resourceId: this.cache.id,
      subresource: "redisCache",
      dnsZoneId: props.dnsZoneId,
    });
  }
}
