/**
 * Azure Cache for Redis: TLS 1.2 only (the non-TLS port closed), no public network access, a
 * private endpoint, Entra ID authentication only (access keys off); Premium across zones where asked (else Standard,
 * replicated).
 */
import { RedisCache } from "@cdktf/provider-azurerm/lib/redis-cache";
import { Construct } from "constructs";
import { privateEndpoint } from "./private-endpoint";

/** Properties for {@link SecureRedisCache}. */
export interface SecureRedisCacheProps {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Premium P1 across three zones; otherwise Standard C1. */
  readonly premium: boolean;
  readonly endpointSubnetId: string;
  readonly dnsZoneId: string;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class SecureRedisCache extends Construct {
  readonly cache: RedisCache;

  constructor(scope: Construct, id: string, props: SecureRedisCacheProps) {
    super(scope, id);
    this.cache = new RedisCache(this, "cache", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: props.premium ? "Premium" : "Standard",
      family: props.premium ? "P" : "C",
      capacity: 1,
      zones: props.premium ? ["1", "2", "3"] : undefined,
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
