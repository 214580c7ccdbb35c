/**
 * The shape (vCPU and memory) of the EC2 instance types node groups may use. The cluster
 * autoscaler sizes a node group from one of its instance types, so every type in a group must
 * have the same shape; this table is what the config loader checks that against.
 * A type missing here is a one-line addition (EC2 instance types page: vCPU, memory in GiB).
 */

/** vCPUs and memory (GiB) of one instance type. */
export interface InstanceShape {
  readonly vcpu: number;
  readonly memoryGib: number;
}

export const EC2_INSTANCE_SHAPES: Readonly<Record<string, InstanceShape>> = {
  // Compute optimised: 2 GiB per vCPU.
  "c5.large": { vcpu: 2, memoryGib: 4 },
  "c5a.large": { vcpu: 2, memoryGib: 4 },
  "c6i.large": { vcpu: 2, memoryGib: 4 },
  "c6a.large": { vcpu: 2, memoryGib: 4 },
  "c7i.large": { vcpu: 2, memoryGib: 4 },
  "c5.xlarge": { vcpu: 4, memoryGib: 8 },
  "c5a.xlarge": { vcpu: 4, memoryGib: 8 },
  "c6i.xlarge": { vcpu: 4, memoryGib: 8 },
  "c6a.xlarge": { vcpu: 4, memoryGib: 8 },
  "c7i.xlarge": { vcpu: 4, memoryGib: 8 },
  // General purpose: 4 GiB per vCPU.
  "m5.large": { vcpu: 2, memoryGib: 8 },
  "m5a.large": { vcpu: 2, memoryGib: 8 },
  "m6i.large": { vcpu: 2, memoryGib: 8 },
  "m6a.large": { vcpu: 2, memoryGib: 8 },
  "m7i.large": { vcpu: 2, memoryGib: 8 },
  "m5.xlarge": { vcpu: 4, memoryGib: 16 },
  "m5a.xlarge": { vcpu: 4, memoryGib: 16 },
  "m6i.xlarge": { vcpu: 4, memoryGib: 16 },
  "m6a.xlarge": { vcpu: 4, memoryGib: 16 },
  "m7i.xlarge": { vcpu: 4, memoryGib: 16 },
  // Memory optimised: 8 GiB per vCPU.
  "r5.large": { vcpu: 2, memoryGib: 16 },
  "r6i.large": { vcpu: 2, memoryGib: 16 },
  "r5.xlarge": { vcpu: 4, memoryGib: 32 },
  "r6i.xlarge": { vcpu: 4, memoryGib: 32 },
  // Burstable (staging-sized).
  "t3.large": { vcpu: 2, memoryGib: 8 },
  "t3a.large": { vcpu: 2, memoryGib: 8 },
};

/** `2 vCPU / 4 GiB`. */
export function describeShape(shape: InstanceShape): string {
  return `${shape.vcpu} vCPU / ${shape.memoryGib} GiB`;
}
