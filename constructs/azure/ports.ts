/**
 * The ports of the Azure data services as clients reach them over their private endpoints:
 * PostgreSQL Flexible Server, Cosmos DB's MongoDB API (10255, TLS) and Azure Cache for Redis (6380, TLS).
 */
export const AZURE_PORTS = { postgres: 5432, mongodb: 10255, redis: 6380 } as const;
