/**
 * The Google-managed service agents that act on CMEK keys. Their emails follow from the project
 * number (read once per stack). They exist once the service's API is enabled; Cloud SQL's is created
 * on first use, or ahead of it with `gcloud beta services identity create --service=sqladmin.googleapis.com`.
 */
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { Construct } from "constructs";

export type ServiceAgent = "gke" | "compute" | "cloud-sql" | "storage" | "memorystore" | "secret-manager" | "managed-kafka";

const DOMAIN: Record<ServiceAgent, string> = {
  gke: "container-engine-robot.iam.gserviceaccount.com",
  compute: "compute-system.iam.gserviceaccount.com",
  "cloud-sql": "gcp-sa-cloud-sql.iam.gserviceaccount.com",
  storage: "gs-project-accounts.iam.gserviceaccount.com",
  memorystore: "cloud-redis.iam.gserviceaccount.com",
  "secret-manager": "gcp-sa-secretmanager.iam.gserviceaccount.com",
  "managed-kafka": "gcp-sa-managedkafka.iam.gserviceaccount.com",
};

export class ServiceAgents extends Construct {
  private readonly project: DataGoogleProject;

  constructor(scope: Construct, id: string, projectId: string) {
    super(scope, id);
    this.project = new DataGoogleProject(this, "project", { projectId });
  }

  /** The project's number (e.g. for Workload Identity Federation principals). */
  get projectNumber(): string {
    return this.project.number;
  }

  /** The email of `agent` in this project. */
  email(agent: ServiceAgent): string {
    return `service-${this.project.number}@${DOMAIN[agent]}`;
  }
}
