/**
 * The API entry: a proxied Cloudflare load balancer with one origin pool per cluster (the
 * cluster's ingress gateway address, read from its platform stack), an HTTPS health monitor, and
 * failover in the configured order (or geo steering).
 */
import { LoadBalancer } from "@cdktf/provider-cloudflare/lib/load-balancer";
import { LoadBalancerMonitor } from "@cdktf/provider-cloudflare/lib/load-balancer-monitor";
import { LoadBalancerPool } from "@cdktf/provider-cloudflare/lib/load-balancer-pool";
import { Construct } from "constructs";

/** One cluster behind the load balancer. */
export interface ApiOrigin {
  /** Pool name suffix, e.g. `aws`. */
  readonly name: string;
  /** Hostname or IP of the cluster's ingress gateway. */
  readonly address: string;
  /** Region pool mapping for geo steering (Cloudflare region codes). */
  readonly regions: readonly string[];
}

/** Properties for {@link ApiLoadBalancer}. */
export interface ApiLoadBalancerProps {
  readonly accountId: string;
  readonly zoneId: string;
  /** `api.<domain>`. */
  readonly hostname: string;
  /** In failover order: the first is primary. */
  readonly origins: readonly ApiOrigin[];
  readonly healthCheckPath: string;
  /** @default false (failover) */
  readonly geoSteering?: boolean;
  /** Prefix of pool and monitor names. */
  readonly namePrefix: string;
}

export class ApiLoadBalancer extends Construct {
  readonly pools: LoadBalancerPool[];
  readonly loadBalancer: LoadBalancer;

  constructor(scope: Construct, id: string, props: ApiLoadBalancerProps) {
    super(scope, id);
    if (props.origins.length === 0) throw new Error(`ApiLoadBalancer '${props.hostname}': needs at least one origin`);
    const monitor = new LoadBalancerMonitor(this, "monitor", {
      accountId: props.accountId,
      type: "https",
      method: "GET",
      path: props.healthCheckPath,
      port: 443,
      expectedCodes: "200",
      header: { Host: [props.hostname] },
      interval: 60,
      timeout: 5,
      retries: 2,
      consecutiveDown: 2,
      consecutiveUp: 2,
      followRedirects: false,
      allowInsecure: false,
      description: `HTTPS health of ${props.hostname} on each cluster`,
    });
    this.pools = props.origins.map(
      (origin) =>
        new LoadBalancerPool(this, `${origin.name}-pool`, {
          accountId: props.accountId,
          name: `${props.namePrefix}-${origin.name}`,
          description: `The ${origin.name} cluster's ingress gateway`,
          origins: [{ name: origin.name, address: origin.address, enabled: true, weight: 1, header: { host: [props.hostname] } }],
          monitor: monitor.id,
          minimumOrigins: 1,
          enabled: true,
        }),
    );
    const poolIds = this.pools.map((pool) => pool.id);
    const regionPools: Record<string, string[]> = {};
    if (props.geoSteering) {
      props.origins.forEach((origin, index) => {
        for (const region of origin.regions) (regionPools[region] ??= []).push(poolIds[index]);
      });
    }
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      zoneId: props.zoneId,
      name: props.hostname,
      description: "API entry across every cluster",
      defaultPools: poolIds,
      fallbackPool: poolIds[poolIds.length - 1],
      proxied: true,
      steeringPolicy: props.geoSteering ? "geo" : "off",
      regionPools: props.geoSteering ? regionPools : undefined,
      sessionAffinity: "none",
    });
  }
}
