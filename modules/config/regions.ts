/** Regions each cloud's config accepts. A region missing here is a one-line addition. */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
  "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
] as const;

export const GCP_REGIONS = [
  "us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "northamerica-northeast1",
  "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-north1",
  "asia-east1", "asia-northeast1", "asia-southeast1", "australia-southeast1",
] as const;

export const AZURE_REGIONS = [
  "eastus", "eastus2", "centralus", "westus", "westus2", "westus3", "canadacentral",
  "northeurope", "westeurope", "uksouth", "swedencentral",
  "southeastasia", "japaneast", "australiaeast",
] as const;

export const DIGITALOCEAN_REGIONS = [
  "nyc1", "nyc3", "sfo2", "sfo3", "tor1", "ams3", "lon1", "fra1", "sgp1", "blr1", "syd1",
] as const;
