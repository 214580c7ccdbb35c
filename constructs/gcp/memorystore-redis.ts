/**
 * Memorystore for Redis over private service access: AUTH on (the AUTH string goes to Secret
 * Manager), TLS with server authentication, CMEK, RDB snapshots, STANDARD_HA (a replica in another
 * zone with automatic failover) in production.
 */
import { RedisInstance } from "@cdktf/provider-google/lib/redis-instance";
import { Construct } from "constructs";
import { GeneratedSecret } from "./generated-secret";

/** Memorystore serves TLS on 6378. */
export const MEMORYSTORE_TLS_PORT = 6378;

/** Properties for {@link MemorystoreRedis}. */
export interface MemorystoreRedisProps {
  readonly instanceName: string;
  readonly region: string;
  readonly networkId: string;
  readonly memorySizeGb: number;
  /** @default "STANDARD_HA" */
  readonly tier?: "BASIC" | "STANDARD_HA";
  readonly kmsKeyId: string;
  /** @default false */
  readonly preventDestroy?: boolean;
}

export class MemorystoreRedis extends Construct {
  readonly instance: RedisInstance;
  readonly authSecret: GeneratedSecret;

  constructor(scope: Construct, id: string, props: MemorystoreRedisProps) {
    super(scope, id);
    this.instance = new RedisInstance(this, "instance", {
      name: props.instanceName,
      region: props.region,
      tier: props.tier ?? "STANDARD_HA",
      memorySizeGb: props.memorySizeGb,
      redisVersion: "REDIS_7_2",
      authorizedNetwork: props.networkId,
      connectMode: "PRIVATE_SERVICE_ACCESS",
      authEnabled: true,
      transitEncryptionMode: "SERVER_AUTHENTICATION",
      customerManagedKey: props.kmsKeyId,
      persistenceConfig: { persistenceMode: "RDB", rdbSnapshotPeriod: "TWELVE_HOURS" },
      maintenancePolicy: { weeklyMaintenanceWindow: [{ day: "SUNDAY", startTime: { hours: 4, minutes: 0 } }] },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.authSecret = new GeneratedSecret(this, "auth", {
      secretId: `${props.instanceName}-auth`,
      region: props.region,
      kmsKeyId: props.kmsKeyId,
      value: this.instance.authString,
    });
  }
}
