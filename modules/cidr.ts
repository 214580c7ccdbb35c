/**
 * Subnet plans: carves a network's CIDR into consecutive, aligned blocks (CIDR math by `netmask`).
 */
import { Netmask, ip2long, long2ip } from "netmask";

/** One group of equally sized subnets: `count` blocks, each `newBits` longer than the network's prefix. */
export interface SubnetRequest {
  readonly name: string;
  readonly newBits: number;
  readonly count: number;
}

/**
 * Allocates the requests in order, each block aligned to its own size, and returns the CIDRs per
 * request name. Throws naming the request that no longer fits.
 */
export function carveSubnets(cidr: string, requests: readonly SubnetRequest[]): Record<string, string[]> {
  const network = new Netmask(cidr);
  const start = ip2long(network.base);
  const end = start + network.size;
  let next = start;
  const plan: Record<string, string[]> = {};
  for (const request of requests) {
    const bits = network.bitmask + request.newBits;
    if (bits > 28) throw new Error(`subnet plan of ${cidr}: '${request.name}' subnets would be /${bits}, smaller than /28`);
    const size = 2 ** (32 - bits);
    plan[request.name] = [];
    for (let i = 0; i < request.count; i++) {
      next = Math.ceil((next - start) / size) * size + start;
      if (next + size > end) throw new Error(`subnet plan of ${cidr}: no room left for '${request.name}' subnet ${i + 1} of ${request.count} (/${bits})`);
      plan[request.name].push(new Netmask(long2ip(next), bits).toString());
      next += size;
    }
  }
  return plan;
}
