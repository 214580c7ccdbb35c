/**
 * Staging: AWS and GCP only, smaller sizes, single NAT gateway, on staging.addtocloud.tech.
 */
import type { EnvironmentInput } from "../modules/config/environment";
import { applicationMessaging } from "./messaging";

export const staging: EnvironmentInput = {
  name: "staging",
  stage: "staging",
  project: "addtocloud",
  owner: "platform-team",
  costCenter: "cc-platform",
  domain: "staging.addtocloud.tech",
  state: { type: "local", directory: "terraform-state" },
  clouds: {
    aws: {
      region: "us-east-1",
      accountId: "222222222222",
      network: { cidr: "10.110.0.0/16", azCount: 3, natGateways: "single" },
      cluster: {
        kubernetesVersion: "1.35",
        nodeGroups: [
          { name: "c5", capacity: "on-demand", instanceTypes: ["c5.large"], scaling: { min: 1, desired: 1, max: 2 } },
          { name: "m5", capacity: "on-demand", instanceTypes: ["m5.large"], scaling: { min: 0, desired: 1, max: 2 } },
          { name: "c5-spot", capacity: "spot", instanceTypes: ["c5.large", "c5a.large", "c6i.large"], scaling: { min: 0, desired: 1, max: 2 } },
          { name: "m5-spot", capacity: "spot", instanceTypes: ["m5.large", "m5a.large", "m6i.large"], scaling: { min: 0, desired: 0, max: 2 } },
        ],
      },
      data: {
        role: "primary",
        postgres: { instanceClass: "db.t4g.medium", allocatedStorageGb: 20, maxAllocatedStorageGb: 100 },
        documentdb: { instanceClass: "db.t4g.medium", instances: 1 },
        redis: { nodeType: "cache.t4g.small", replicas: 1 },
      },
    },
    gcp: {
      region: "us-central1",
      projectId: "addtocloud-staging",
      network: {
        cidr: "10.120.0.0/20",
        podsCidr: "10.121.0.0/16",
        servicesCidr: "10.122.0.0/20",
        privateServicesCidr: "10.122.16.0/20",
      },
      cluster: {
        releaseChannel: "REGULAR",
        masterCidr: "10.122.32.0/28",
        standard: { machineType: "e2-standard-2", scaling: { min: 1, desired: 1, max: 3 } },
        spot: { machineType: "e2-standard-2", scaling: { min: 0, desired: 1, max: 3 } },
      },
      data: { role: "replica" },
    },
  },
  cloudflare: {
    accountId: "0123456789abcdef0123456789abcdef",
    // Records in the production zone; the zone's settings and rulesets belong to production's edge.
    parentZone: "addtocloud.tech",
    // The production zone's plan; *.staging.addtocloud.tech needs Advanced Certificate Manager on it.
    plan: "pro",
    advancedCertificateManager: true,
    pages: { productionBranch: "staging" },
  },
  platform: { enabled: true },
  messaging: applicationMessaging,
  // No Atlas organisation in staging: MongoDB stays on AWS; PostgreSQL and objects reach GCP.
  dataCopies: { engines: ["postgres", "objects"] },
};
