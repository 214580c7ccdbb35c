/**
 * Production: all four clouds as the architecture has them. AWS us-east-1 is primary, GCP
 * us-central1 secondary, Azure eastus tertiary (and data backup), DigitalOcean the fourth cluster,
 * all behind the Cloudflare edge on addtocloud.tech. Ids below are examples: replace with yours.
 */
import type { EnvironmentInput } from "../modules/config/environment";
import { applicationMessaging } from "./messaging";

export const production: EnvironmentInput = {
  name: "production",
  stage: "production",
  project: "addtocloud",
  owner: "platform-team",
  costCenter: "cc-platform",
  domain: "addtocloud.tech",
  // Local state so everything synthesizes and can be tried with no cloud account.
  // Switch to { type: "native" } once the bootstrap stacks are deployed.
  state: { type: "local", directory: "terraform-state" },
  clouds: {
    aws: {
      region: "us-east-1",
      accountId: "111111111111",
      network: { cidr: "10.10.0.0/16", azCount: 3 },
      cluster: {
        kubernetesVersion: "1.35",
        publicAccessCidrs: [],
        // The seed's c5 and m5 mix, one shape per group (the autoscaler assumes it); spot groups
        // list several types of the same shape to find capacity.
        nodeGroups: [
          { name: "c5", capacity: "on-demand", instanceTypes: ["c5.large"], scaling: { min: 2, desired: 2, max: 5 } },
          { name: "m5", capacity: "on-demand", instanceTypes: ["m5.large"], scaling: { min: 1, desired: 1, max: 5 } },
          { name: "c5-spot", capacity: "spot", instanceTypes: ["c5.large", "c5a.large", "c6i.large"], scaling: { min: 0, desired: 1, max: 10 } },
          { name: "m5-spot", capacity: "spot", instanceTypes: ["m5.large", "m5a.large", "m6i.large"], scaling: { min: 0, desired: 1, max: 10 } },
        ],
      },
      data: { role: "primary" },
    },
    gcp: {
      region: "us-central1",
      projectId: "addtocloud-production",
      network: {
        cidr: "10.20.0.0/20",
        podsCidr: "10.21.0.0/16",
        servicesCidr: "10.22.0.0/20",
        privateServicesCidr: "10.22.16.0/20",
      },
      cluster: {
        releaseChannel: "REGULAR",
        masterCidr: "10.22.32.0/28",
        masterAuthorizedCidrs: [],
        standard: { machineType: "e2-standard-4", scaling: { min: 1, desired: 1, max: 5 } },
        spot: { machineType: "e2-standard-4", scaling: { min: 0, desired: 1, max: 10 } },
      },
      data: {
        role: "replica",
        // The seed's MongoDB replica: Atlas on GCP, peered with the VPC. Remove where there is no Atlas organisation.
        mongodbAtlas: { orgId: "0123456789abcdef01234567", instanceSize: "M10", cidr: "10.23.0.0/21" },
      },
    },
    azure: {
      location: "eastus",
      subscriptionId: "00000000-0000-0000-0000-000000000001",
      tenantId: "00000000-0000-0000-0000-000000000002",
      network: { cidr: "10.30.0.0/16" },
      cluster: {
        apiServerAuthorizedCidrs: [],
        adminGroupObjectIds: ["00000000-0000-0000-0000-000000000003"],
        systemPool: { vmSize: "Standard_D2s_v3", scaling: { min: 3, desired: 3, max: 5 } },
        userPool: { vmSize: "Standard_D2s_v3", scaling: { min: 3, desired: 3, max: 12 } },
      },
      data: { role: "backup" },
    },
    digitalocean: {
      region: "nyc3",
      network: { cidr: "10.40.0.0/16" },
      cluster: { nodeSize: "s-4vcpu-8gb", scaling: { min: 3, desired: 3, max: 10 } },
      // No private link reaches DigitalOcean yet (its Partner Network Connect needs a partner's
      // details): its databases serve DOKS alone. It keeps no copy of the AWS primary's PostgreSQL,
      // linked or not (docs/data-across-clouds.md, "PostgreSQL on DigitalOcean").
      data: { role: "standalone" },
    },
  },
  cloudflare: {
    accountId: "0123456789abcdef0123456789abcdef",
    // Pro: the managed WAF rulesets and a host-matched API rate limit over 60 s (Free has neither).
    plan: "pro",
  },
  platform: {
    enabled: true,
    // Example ids: the Entra ID app registration Argo CD signs in with, and the group of its admins.
    argocd: {
      sso: {
        name: "Entra ID",
        issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0",
        clientId: "00000000-0000-0000-0000-000000000005",
        adminGroups: ["00000000-0000-0000-0000-000000000003"],
      },
    },
  },
  messaging: applicationMessaging,
};
