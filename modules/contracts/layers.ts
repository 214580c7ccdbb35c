/**
 * The contract of each layer. Every cloud publishes the common shape, so a consumer does not care
 * which cloud produced a network or a cluster; a cloud adds its own outputs through `extend`.
 */
import { Contract } from "./contract";
import { PLACEHOLDER_NAME, Placeholder } from "./placeholders";

/** What every bootstrap stack publishes: where the cloud's native state store lives. */
export const BootstrapContract = new Contract("bootstrap", {
  state_bucket: { type: "string", description: "Bucket (storage account on Azure) that holds the Terraform state of the cloud's stacks under `native` state", default: "pending" },
  state_encryption_key: { type: "string", description: "Customer-managed key that encrypts the state store (empty where the cloud encrypts with its own keys)", default: "" },
});

/** What every network stack publishes. */
export const NetworkContract = new Contract("network", {
  vpc_id: {
    type: "string",
    description: "Id of the VPC/VNet (self link on GCP)",
    default: Placeholder.awsId("vpc"),
    placeholders: { gcp: Placeholder.gcpNetwork(), azure: Placeholder.azureId("Microsoft.Network/virtualNetworks"), digitalocean: Placeholder.uuid() },
  },
  vpc_cidr: { type: "string", description: "Primary CIDR block of the VPC/VNet", default: "10.0.0.0/16" },
  private_subnet_ids: {
    type: "list",
    description: "Subnets for cluster nodes and internal load balancers",
    default: [Placeholder.awsId("subnet")],
    placeholders: { gcp: [Placeholder.gcpSubnetwork()], azure: [Placeholder.azureSubnet()], digitalocean: [Placeholder.uuid()] },
  },
  public_subnet_ids: { type: "list", description: "Subnets for internet-facing load balancers and NAT (empty where the cloud has none)", default: [] },
  database_subnet_ids: {
    type: "list",
    description: "Subnets (or delegated subnet/peering range) for managed databases",
    default: [Placeholder.awsId("subnet")],
    placeholders: { gcp: ["review-placeholder"], azure: [Placeholder.azureSubnet()], digitalocean: [Placeholder.uuid()] },
  },
  region: { type: "string", description: "Region or location of the network", default: "pending" },
});

export const AwsNetworkContract = NetworkContract.extend("aws-network", {
  availability_zones: { type: "list", description: "Availability zones the subnets span", default: [] },
  database_subnet_group_name: { type: "string", description: "RDS/DocumentDB/ElastiCache subnet group over the database subnets", default: "pending" },
  elasticache_subnet_group_name: { type: "string", description: "ElastiCache subnet group over the database subnets", default: "pending" },
  docdb_subnet_group_name: { type: "string", description: "DocumentDB subnet group over the database subnets", default: "pending" },
  flow_log_group_name: { type: "string", description: "CloudWatch log group receiving the VPC flow logs", default: "pending" },
  private_route_table_ids: { type: "list", description: "Route tables of the private subnets, one per zone (the links add the peers' ranges)", default: [Placeholder.awsId("rtb")] },
  database_route_table_id: { type: "string", description: "Route table of the database subnets (the links add the peers' ranges)", default: Placeholder.awsId("rtb") },
});

export const GcpNetworkContract = NetworkContract.extend("gcp-network", {
  network_name: { type: "string", description: "Name of the VPC network (for peering and firewall rules)", default: "pending" },
  nodes_subnet_id: { type: "string", description: "Id of the regional subnet of the GKE nodes", default: Placeholder.gcpSubnetwork() },
  pods_range_name: { type: "string", description: "Secondary range of the node subnet for pods", default: "pending" },
  services_range_name: { type: "string", description: "Secondary range of the node subnet for services", default: "pending" },
  private_services_range_name: { type: "string", description: "Range peered to Google's service producers (Cloud SQL, Memorystore)", default: "pending" },
  pods_cidr: { type: "string", description: "CIDR of the pods range (clients of the data services)", default: "10.0.0.0/16" },
});

export const AzureNetworkContract = NetworkContract.extend("azure-network", {
  resource_group_name: { type: "string", description: "Resource group of the environment's Azure resources", default: "pending" },
  nodes_subnet_id: { type: "string", description: "Subnet of the AKS nodes (egress through the NAT gateway)", default: Placeholder.azureSubnet() },
  appgw_subnet_id: { type: "string", description: "Subnet of the Application Gateway", default: Placeholder.azureSubnet() },
  endpoints_subnet_id: { type: "string", description: "Subnet of the private endpoints", default: Placeholder.azureSubnet() },
  postgres_subnet_id: { type: "string", description: "Subnet delegated to PostgreSQL Flexible Server", default: Placeholder.azureSubnet() },
  postgres_dns_zone_id: { type: "string", description: "Private DNS zone of PostgreSQL Flexible Server", default: Placeholder.azureDnsZone(`${PLACEHOLDER_NAME}.private.postgres.database.azure.com`) },
  mongo_dns_zone_id: { type: "string", description: "Private DNS zone privatelink.mongo.cosmos.azure.com", default: Placeholder.azureDnsZone("privatelink.mongo.cosmos.azure.com") },
  redis_dns_zone_id: { type: "string", description: "Private DNS zone privatelink.redis.cache.windows.net", default: Placeholder.azureDnsZone("privatelink.redis.cache.windows.net") },
  vault_dns_zone_id: { type: "string", description: "Private DNS zone privatelink.vaultcore.azure.net", default: Placeholder.azureDnsZone("privatelink.vaultcore.azure.net") },
  blob_dns_zone_id: { type: "string", description: "Private DNS zone privatelink.blob.core.windows.net", default: Placeholder.azureDnsZone("privatelink.blob.core.windows.net") },
  nat_public_ip: { type: "string", description: "Public egress address of the AKS nodes (for allowlists elsewhere)", default: "192.0.2.1" },
});

/** What every cluster stack publishes. */
export const ClusterContract = new Contract("cluster", {
  cluster_name: { type: "string", description: "Name of the Kubernetes cluster", default: "pending" },
  cluster_endpoint: { type: "string", description: "HTTPS endpoint of the Kubernetes API server", default: "https://pending.invalid" },
  cluster_ca_certificate: { type: "string", description: "Base64-encoded PEM CA certificate of the API server", default: "" },
  oidc_issuer_url: { type: "string", description: "OIDC issuer URL of the cluster's service-account tokens (workload identity)", default: "https://pending.invalid" },
  kubernetes_version: { type: "string", description: "Kubernetes minor version of the control plane", default: "pending" },
  region: { type: "string", description: "Region or location of the cluster", default: "pending" },
});

export const AwsClusterContract = ClusterContract.extend("aws-cluster", {
  oidc_provider_arn: { type: "string", description: "ARN of the IAM OIDC provider for IRSA", default: "arn:aws:iam::000000000000:oidc-provider/pending" },
  node_security_group_id: { type: "string", description: "Security group attached to every worker node", default: Placeholder.awsId("sg") },
  cluster_security_group_id: { type: "string", description: "Security group EKS created for the control plane and nodes", default: Placeholder.awsId("sg") },
  node_role_arn: { type: "string", description: "IAM role of the worker nodes", default: "arn:aws:iam::000000000000:role/pending" },
  vpc_id: { type: "string", description: "VPC of the cluster (for controllers that cannot read it from instance metadata)", default: Placeholder.awsId("vpc") },
});

export const GcpClusterContract = ClusterContract.extend("gcp-cluster", {
  project_id: { type: "string", description: "GCP project of the cluster", default: "pending" },
  workload_identity_pool: { type: "string", description: "Workload identity pool (<project>.svc.id.goog)", default: "pending.svc.id.goog" },
  node_service_account_email: { type: "string", description: "Service account of the worker nodes", default: "pending@pending.iam.gserviceaccount.com" },
});

export const AzureClusterContract = ClusterContract.extend("azure-cluster", {
  resource_group_name: { type: "string", description: "Resource group of the cluster", default: "pending" },
  cluster_id: { type: "string", description: "Azure resource id of the AKS cluster", default: Placeholder.azureId("Microsoft.ContainerService/managedClusters") },
  kubelet_identity_object_id: { type: "string", description: "Object id of the kubelet managed identity", default: "00000000-0000-0000-0000-000000000000" },
  tenant_id: { type: "string", description: "Entra ID tenant of the cluster's RBAC", default: "00000000-0000-0000-0000-000000000000" },
  egress_ip: { type: "string", description: "Public address the cluster's outbound traffic leaves from (the NAT gateway)", default: "192.0.2.1" },
  endpoints_subnet_id: { type: "string", description: "Subnet for private endpoints of the cluster's add-ons (Vault's unseal Key Vault)", default: Placeholder.azureSubnet() },
  vault_dns_zone_id: { type: "string", description: "Private DNS zone of Key Vault private endpoints, linked to the VNet", default: Placeholder.azureDnsZone("privatelink.vaultcore.azure.net") },
});

export const DigitalOceanClusterContract = ClusterContract.extend("digitalocean-cluster", {
  cluster_id: { type: "string", description: "DigitalOcean id of the DOKS cluster (for doctl credentials)", default: Placeholder.uuid() },
});

/** What every data stack publishes. Secret values are never outputs: only references to where they live. */
export const DataContract = new Contract("data", {
  data_role: { type: "string", description: "Role of this cloud's data: primary, replica, backup or standalone", default: "primary" },
  postgres_endpoint: { type: "string", description: "Host name of the PostgreSQL primary", default: "pending" },
  postgres_port: { type: "number", description: "PostgreSQL port", default: 5432 },
  postgres_secret_ref: { type: "string", description: "Reference (ARN/id/name) of the secret holding the PostgreSQL credentials, never the value", default: "pending" },
  mongodb_endpoint: { type: "string", description: "Host name of the MongoDB-compatible database (empty when disabled)", default: "" },
  mongodb_port: { type: "number", description: "MongoDB-compatible port", default: 27017 },
  mongodb_secret_ref: { type: "string", description: "Reference of the secret holding the MongoDB credentials, never the value (empty when disabled)", default: "" },
  redis_endpoint: { type: "string", description: "Host name of the Redis primary (empty when disabled)", default: "" },
  redis_port: { type: "number", description: "Redis port (TLS)", default: 6379 },
  redis_secret_ref: { type: "string", description: "Reference to the Redis credentials, never the value: the secret holding the auth token, or on AWS the ARN of the IAM-authenticated user (empty when disabled)", default: "" },
  object_bucket_name: { type: "string", description: "Bucket/container for application objects", default: "pending" },
  object_storage_endpoint: { type: "string", description: "S3-compatible or native endpoint of the object store", default: "pending" },
  replication_source: { type: "string", description: "Stack id of the data stack whose primary this cloud copies (empty on the primary and on standalone clouds)", default: "" },
  replication_status: { type: "string", description: "How this cloud's copy stands: 'primary', 'standalone', the state of the job that keeps the copy (e.g. the GCP migration job's RUNNING), or 'not-built' where the role asks for a copy these stacks do not build yet", default: "pending" },
  postgres_replication_secret_ref: { type: "string", description: "On the primary: reference of the secret holding the PostgreSQL replication user's credentials, never the value (empty elsewhere)", default: "", placeholders: { aws: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${PLACEHOLDER_NAME}` } },
  postgres_replication_secret_version: { type: "number", description: "On the primary: version of the replication user's generated secret value; copies in other clouds rewrite theirs when it changes (0 elsewhere)", default: 0 },
  mongodb_copy_secret_version: { type: "number", description: "On the primary: version of the DocumentDB copy user's generated secret value; copies in other clouds rewrite theirs when it changes (0 elsewhere)", default: 0 },
  mongodb_copy_secret_ref: { type: "string", description: "On the primary: reference of the secret holding the DocumentDB copy user's credentials (read on the application database) the MongoDB copies log in with, never the value (empty elsewhere)", default: "", placeholders: { aws: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${PLACEHOLDER_NAME}` } },
});

/** What every platform stack publishes: its cluster's public entry point, for the edge. */
export const PlatformContract = new Contract("platform", {
  ingress_address: { type: "string", description: "Public hostname or IP of the cluster's ingress gateway load balancer", default: "pending.invalid" },
  ingress_address_type: { type: "string", description: "Whether ingress_address is a 'hostname' or an 'ip'", default: "hostname" },
  mesh_cluster_name: { type: "string", description: "Cluster name of this cluster in the Istio mesh", default: "pending" },
});

/** What the edge stack publishes. */
export const EdgeContract = new Contract("edge", {
  zone_id: { type: "string", description: "Cloudflare zone of the environment's domain", default: Placeholder.cloudflareId() },
  pages_url: { type: "string", description: "The Pages project's own URL (https://<project>.pages.dev)", default: "https://pending.pages.dev" },
  api_hostname: { type: "string", description: "Host name of the API load balancer (empty when no cluster has a platform stack)", default: "pending" },
  pool_ids: { type: "list", description: "Load-balancer pool ids, one per cluster, in failover order", default: [] },
});

export const AzureDataContract = DataContract.extend("azure-data", {
  key_vault_name: { type: "string", description: "Name of the data Key Vault (consumers read secrets from it by name through their own identity)", default: "pending" },
  postgres_admin_login: { type: "string", description: "Administrator login of the PostgreSQL server (its password is the postgres_secret_ref secret)", default: "pending" },
  postgres_admin_secret_name: { type: "string", description: "Key Vault secret name of the PostgreSQL administrator password, never the value", default: "pending" },
  postgres_source_host: { type: "string", description: "Host of the primary's PostgreSQL the backup server is refreshed from, over the private link (empty when it copies nothing)", default: "" },
  postgres_source_secret_name: { type: "string", description: "Key Vault secret name of the primary's replication password, never the value (empty when it copies nothing)", default: "" },
  postgres_refresh_client_id: { type: "string", description: "Client id of the workload identity the refresh job runs as (empty when it copies nothing)", default: "" },
  postgres_dumps_url: { type: "string", description: "URL of the immutable container every refresh dump is kept in (empty when it copies nothing)", default: "" },
  objects_source_bucket: { type: "string", description: "Name of the primary's S3 bucket the objects copy job reads (empty when Azure copies no objects)", default: "" },
  objects_copy_role_arn: { type: "string", description: "ARN of the AWS role the objects copy job assumes with its service-account token, read-only on the primary bucket (empty when Azure copies no objects)", default: "" },
  objects_copy_client_id: { type: "string", description: "Client id of the workload identity the objects copy job writes the container as (empty when Azure copies no objects)", default: "" },
  objects_copy_account: { type: "string", description: "Storage account the primary's objects are copied into (empty when Azure copies no objects)", default: "" },
  objects_copy_container: { type: "string", description: "Versioned container of that account the primary's objects are copied into (empty when Azure copies no objects)", default: "" },
  postgres_restore_check_client_id: { type: "string", description: "Client id of the workload identity the restore check runs as: reads the dumps and the administrator password (empty when it copies nothing)", default: "" },
  mongodb_source_host: { type: "string", description: "Host of the primary's DocumentDB the Cosmos DB copy is refreshed from, over the private link (empty when it copies no MongoDB)", default: "" },
  mongodb_source_secret_name: { type: "string", description: "Key Vault secret name of the primary's DocumentDB copy password, never the value (empty when it copies no MongoDB)", default: "" },
  mongodb_target_secret_name: { type: "string", description: "Key Vault secret name of the Cosmos DB MongoDB connection string the refresh restores with, never the value (empty when it copies no MongoDB)", default: "" },
  mongodb_refresh_client_id: { type: "string", description: "Client id of the workload identity the MongoDB refresh job runs as (empty when it copies no MongoDB)", default: "" },
  mongodb_dumps_url: { type: "string", description: "URL of the immutable container every MongoDB refresh archive is kept in (empty when it copies no MongoDB)", default: "" },
});

export const GcpDataContract = DataContract.extend("gcp-data", {
  mongodb_source_host: { type: "string", description: "Host of the primary's DocumentDB the Atlas copy is refreshed from, over the private link (empty when it copies no MongoDB)", default: "" },
  mongodb_source_secret_ref: { type: "string", description: "Secret Manager id of the copy of the primary's DocumentDB copy password, never the value (empty when it copies no MongoDB)", default: "", placeholders: { gcp: `projects/${PLACEHOLDER_NAME}/secrets/${PLACEHOLDER_NAME}` } },
});

export const DigitalOceanDataContract = DataContract.extend("digitalocean-data", {
  postgres_replica_endpoint: { type: "string", description: "Private host name of the PostgreSQL read replica (empty without one)", default: "" },
  database_cluster_ids: { type: "list", description: "Ids of the managed database clusters (`doctl databases connection <id>` shows credentials to those allowed)", default: [] },
});

/**
 * What every messaging stack publishes: how an application reaches Kafka and RabbitMQ on this cloud.
 * Credentials are never outputs: the `*_secret_ref` fields say where they live or where access is granted.
 */
export const MessagingContract = new Contract("messaging", {
  kafka_bootstrap_servers: { type: "string", description: "Comma-separated private bootstrap host:port list of the managed Kafka cluster (empty when Kafka is off on this cloud)", default: "" },
  kafka_port: { type: "number", description: "TLS port of the Kafka bootstrap servers", default: 9093 },
  kafka_auth_mechanism: { type: "string", description: "Security protocol and SASL mechanism clients use, e.g. SASL_SSL/AWS_MSK_IAM", default: "" },
  kafka_secret_ref: { type: "string", description: "Where Kafka access is granted or its credentials live (cluster ARN/id/URN), never a value (empty when Kafka is off)", default: "" },
  kafka_topics: { type: "list", description: "Topics declared in config for this environment", default: [] },
  amqp_endpoint: { type: "string", description: "AMQPS host of the RabbitMQ broker: the Amazon MQ endpoint on AWS, the in-cluster service elsewhere (empty when RabbitMQ is off)", default: "" },
  amqp_port: { type: "number", description: "AMQP over TLS port", default: 5671 },
  amqp_auth_mechanism: { type: "string", description: "How RabbitMQ clients authenticate (PLAIN username/password over TLS)", default: "" },
  amqp_secret_ref: { type: "string", description: "Reference to the RabbitMQ credentials, never the value: a Secrets Manager ARN on AWS, `kubernetes:<namespace>/<secret>` elsewhere (empty when RabbitMQ is off)", default: "" },
});

/** What every gateway stack (`<env>-<cloud>-gateway`) publishes: one cloud's end of the cross-cloud links. */
export const GatewayContract = new Contract("gateway", {
  asn: { type: "number", description: "BGP ASN of the cloud's VPN gateway (Transit Gateway, Cloud Router, Azure VPN gateway)", default: 64512 },
  advertised_ranges: { type: "list", description: "The only ranges the gateway advertises to its peers: the cloud's own network ranges", default: [] },
  tunnel_addresses: { type: "list", description: "Public tunnel endpoints of the gateway (empty on AWS, whose endpoints belong to each VPN connection)", default: [] },
  dns_resolver_addresses: { type: "list", description: "Private addresses where the other clouds forward DNS queries for this cloud's private names", default: [] },
  dns_domains: { type: "list", description: "Private DNS domains this cloud answers for the other clouds", default: [] },
});

export const AwsGatewayContract = GatewayContract.extend("aws-gateway", {
  transit_gateway_id: { type: "string", description: "Transit Gateway attached to the VPC", default: Placeholder.awsId("tgw") },
  vpn_route_table_id: { type: "string", description: "Transit Gateway route table the VPN attachments are associated with (holds only the VPC)", default: Placeholder.awsId("tgw-rtb") },
  vpc_route_table_id: { type: "string", description: "Transit Gateway route table of the VPC attachment (VPN attachments propagate into it)", default: Placeholder.awsId("tgw-rtb") },
  dns_outbound_endpoint_id: { type: "string", description: "Route 53 Resolver outbound endpoint that forwards to the other clouds", default: Placeholder.awsId("rslvr-out") },
  vpn_log_group_arn: { type: "string", description: "CMK-encrypted CloudWatch log group of the VPN tunnel and BGP logs", default: "arn:aws:logs:us-east-1:000000000000:log-group:pending" },
  vpc_id: { type: "string", description: "VPC the Transit Gateway is attached to (the links' resolver rules attach to it)", default: Placeholder.awsId("vpc") },
});

export const GcpGatewayContract = GatewayContract.extend("gcp-gateway", {
  vpn_gateway_id: { type: "string", description: "HA VPN gateway (two interfaces)", default: Placeholder.gcpRegional("vpnGateways") },
  router_name: { type: "string", description: "Cloud Router holding the BGP sessions of the links", default: "pending" },
  network_id: { type: "string", description: "VPC network the gateway serves (firewall rules and DNS zones attach to it)", default: Placeholder.gcpNetwork() },
});

export const AzureGatewayContract = GatewayContract.extend("azure-gateway", {
  virtual_network_gateway_id: { type: "string", description: "The VNet's active-active, zone-redundant VPN gateway", default: Placeholder.azureId("Microsoft.Network/virtualNetworkGateways") },
  resource_group_name: { type: "string", description: "Resource group of the gateway and the links' connections", default: "pending" },
  dns_forwarding_ruleset_id: { type: "string", description: "DNS Private Resolver forwarding ruleset the links add their rules to", default: Placeholder.azureId("Microsoft.Network/dnsForwardingRulesets") },
});

/** What every link stack (`<env>-interconnect-<a>-<b>`) publishes. */
export const LinkContract = new Contract("link", {
  tunnel_count: { type: "number", description: "Tunnels of the link, each with a BGP session", default: 0 },
  inside_cidrs: { type: "list", description: "Inside /30 of each tunnel, in tunnel order", default: [] },
});

/** What `<env>-digitalocean-gateway` publishes when a partner attachment joins DigitalOcean. */
export const AttachmentContract = new Contract("attachment", {
  partner_attachment_id: { type: "string", description: "DigitalOcean Partner Network Connect attachment of the VPC", default: Placeholder.uuid() },
  advertised_ranges: { type: "list", description: "The DigitalOcean VPC range the attachment carries", default: [] },
});
