/**
 * Capacity of the node machine types the shipped configs use, and an estimate of what Kubernetes
 * leaves to pods on them. Tests check that every add-on's pod requests fit the smallest node its
 * pools can give it; a type missing here fails those tests by name, so add it when config uses it.
 * Sources: the clouds' instance type pages (EC2 c5/m5, Compute Engine E2, Azure Dv3, DigitalOcean
 * Droplet sizes).
 */
import type { EnvironmentConfig, KubernetesCloud } from "./config/environment";
import { EC2_INSTANCE_SHAPES } from "./config/instance-shapes";

/** vCPUs and memory (MiB) of one machine type. */
export interface MachineCapacity {
  readonly vcpus: number;
  readonly memoryMiB: number;
}

export const MACHINE_TYPES: Readonly<Record<string, MachineCapacity>> = {
  // EC2: the table the config loader checks node groups against.
  ...Object.fromEntries(Object.entries(EC2_INSTANCE_SHAPES).map(([type, shape]) => [type, { vcpus: shape.vcpu, memoryMiB: shape.memoryGib * 1024 }])),
  "e2-standard-2": { vcpus: 2, memoryMiB: 8 * 1024 },
  "e2-standard-4": { vcpus: 4, memoryMiB: 16 * 1024 },
  Standard_D2s_v3: { vcpus: 2, memoryMiB: 8 * 1024 },
  "s-4vcpu-8gb": { vcpus: 4, memoryMiB: 8 * 1024 },
};

/**
 * What pods can request on a node: capacity minus the kubelet/system reservation, estimated with
 * GKE's published formula (memory: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6%
 * of the next 112, 2% above, plus a 100 MiB eviction threshold; CPU: 6% of the first core, 1% of the
 * second, 0.5% of the next two, 0.25% above), which reserves at least as much as EKS, AKS and DOKS
 * on these sizes.
 */
export function allocatable(capacity: MachineCapacity): { cpuMillis: number; memoryMiB: number } {
  const tiers = (amount: number, steps: [number, number][]) => {
    let left = amount;
    let reserved = 0;
    for (const [size, share] of steps) {
      const part = Math.min(left, size);
      reserved += part * share;
      left -= part;
    }
    return reserved;
  };
  const memoryReserved = tiers(capacity.memoryMiB, [[4096, 0.25], [4096, 0.2], [8192, 0.1], [114688, 0.06], [Infinity, 0.02]]) + 100;
  const cpuReserved = tiers(capacity.vcpus * 1000, [[1000, 0.06], [1000, 0.01], [2000, 0.005], [Infinity, 0.0025]]);
  return { cpuMillis: Math.floor(capacity.vcpus * 1000 - cpuReserved), memoryMiB: Math.floor(capacity.memoryMiB - memoryReserved) };
}

/**
 * The machine types of the pools the platform add-ons schedule on. On AKS that is the user pool:
 * the system pool only takes critical add-ons (`only_critical_addons_enabled`).
 */
export function addonPoolMachineTypes(env: EnvironmentConfig, cloud: KubernetesCloud): string[] {
  switch (cloud) {
    case "aws": {
      return env.clouds.aws!.cluster.nodeGroups.flatMap((group) => group.instanceTypes);
    }
    case "gcp": {
      const c = env.clouds.gcp!.cluster;
      return [c.standard.machineType, ...(c.spot ? [c.spot.machineType] : [])];
    }
    case "azure":
      return [env.clouds.azure!.cluster.userPool.vmSize];
    case "digitalocean":
      return [env.clouds.digitalocean!.cluster.nodeSize];
  }
}
