/**
 * What the clouds refuse (or get wrong) at create time, checked over every stack of every shipped
 * environment: versions the project knows to be creatable and in standard support, KMS key
 * policies naming only principals that exist, autoscaled node groups of one shape, exported
 * logs landing in log groups the stack creates with a key and a retention, keys that let CloudWatch
 * Logs encrypt those groups, and no expression Terraform would refuse to plan (a reference as a key).
 */
import { EKS_UNSUPPORTED_ZONE_IDS } from "../../modules/config/clouds/aws";
import { EC2_INSTANCE_SHAPES, describeShape } from "../../modules/config/instance-shapes";
import { VersionedService, versionProblem } from "../../modules/config/versions";
import { buildStacks, resourcesOf, shippedEnvironments, synthJson, TerraformJson } from "../support/synth";

const { stacks } = buildStacks(shippedEnvironments());
const synthesized: [string, TerraformJson][] = [...stacks.entries()].map(([id, stack]) => [id, synthJson(stack)]);
const today = new Date();

/** `${aws_cloudwatch_log_group.x.name}` -> `aws_cloudwatch_log_group.x`. */
const referencedAddress = (value: unknown): string | undefined => /^\$\{([a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(String(value))?.[1];
const isToken = (value: unknown) => typeof value === "string" && value.includes("${");

/**
 * The statements of a key policy written as `${jsonencode({...})}`: Terraform's object syntax made
 * JSON (`"k" = v` -> `"k": v`, bare references quoted).
 */
function policyStatements(policy: string): any[] {
  const body = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(policy)?.[1];
  if (!body) throw new Error(`not a jsonencode policy: ${policy.slice(0, 80)}`);
  const json = body.replace(/"((?:[^"\\]|\\.)*)" = /g, '"$1": ').replace(/([[:,]\s*)((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+\.[a-z_]+)(?=\s*[,\]}])/g, '$1"$2"');
  return JSON.parse(json).Statement;
}

/** Does an IAM ARN pattern (`*` and `?` wildcards, as in ArnLike) match `arn`? */
const arnMatches = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(arn);

/** Every version a stack deploys: where it is, which table it is checked against, the value. */
function deployedVersions(json: TerraformJson): { where: string; service: VersionedService; version: string }[] {
  const found: { where: string; service: VersionedService; version: string }[] = [];
  const add = (type: string, attribute: string, service: VersionedService | ((r: any) => VersionedService), optional = false) => {
    for (const [id, resource] of Object.entries<any>(resourcesOf(json, type))) {
      const version = resource[attribute];
      if (version === undefined && optional) continue;
      if (isToken(version)) continue;
      found.push({ where: `${type}.${id}.${attribute}`, service: typeof service === "function" ? service(resource) : service, version: String(version) });
    }
  };
  add("aws_eks_cluster", "version", "eks");
  add("aws_db_instance", "engine_version", "rdsPostgres");
  add("aws_docdb_cluster", "engine_version", "documentdb");
  add("aws_elasticache_replication_group", "engine_version", "elasticacheRedis");
  add("google_container_cluster", "min_master_version", "gke", true);
  add("google_sql_database_instance", "database_version", "cloudSql");
  add("azurerm_kubernetes_cluster", "kubernetes_version", "aks", true);
  add("azurerm_postgresql_flexible_server", "version", "azurePostgres");
  add("digitalocean_database_cluster", "version", (r) => {
    const engines: Record<string, VersionedService> = { pg: "doPostgres", mongodb: "doMongodb", valkey: "doValkey", kafka: "doKafka" };
    if (!engines[r.engine]) throw new Error(`no version table for DigitalOcean engine '${r.engine}'`);
    return engines[r.engine];
  });
  return found;
}

describe("every stack of every environment", () => {
  test("no expression uses a reference as a map key (cdktf leaves the key as the reference's text and the value undefined; Terraform refuses the plan)", () => {
    const broken: string[] = [];
    let expressions = 0;
    const visit = (id: string, path: string, value: unknown) => {
      if (typeof value === "string") {
        if (!value.includes("${")) return;
        expressions++;
        // A quoted object key holding a bare reference (`"...data.x.y.z" =`), or a bare `undefined` value.
        const key = /"([^"$]*\b(?:data\.[a-z0-9_]+|var|local|[a-z0-9]+_[a-z0-9_]+)\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_]+)*)" =/.exec(value);
        if (key) broken.push(`${id} ${path}: key "${key[1]}"`);
        if (/(=|:|,|\[)\s*undefined\b/.test(value)) broken.push(`${id} ${path}: undefined value`);
      } else if (Array.isArray(value)) {
        value.forEach((item, index) => visit(id, `${path}[${index}]`, item));
      } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) visit(id, path ? `${path}.${k}` : k, v);
      }
    };
    for (const [id, json] of synthesized) visit(id, "", { resource: json.resource, data: json.data, output: json.output, locals: json.locals });
    expect(broken).toEqual([]);
    expect(expressions).toBeGreaterThan(0);
  });

  test("deploys only engine and Kubernetes versions the table knows to be creatable and in standard support today", () => {
    const problems = synthesized.flatMap(([id, json]) =>
      deployedVersions(json).flatMap(({ where, service, version }) => {
        const problem = versionProblem(service, version, today);
        return problem ? [`${id} ${where}: ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
    // The check saw the versions it is about (a renamed attribute must not make it vacuous).
    const services = new Set(synthesized.flatMap(([, json]) => deployedVersions(json).map((v) => v.service)));
    expect([...services].sort()).toEqual(
      ["azurePostgres", "cloudSql", "doKafka", "doMongodb", "doPostgres", "doValkey", "documentdb", "eks", "elasticacheRedis", "rdsPostgres"].sort(),
    );
  });

  test("every KMS key policy names only principals a stack creates (same stack, so ordered) or AWS always has", () => {
    const unknown: string[] = [];
    let principals = 0;
    for (const [id, json] of synthesized) {
      for (const [keyId, key] of Object.entries<any>(resourcesOf(json, "aws_kms_key"))) {
        for (const match of String(key.policy).matchAll(/"AWS" = (\[[^\]]*\]|"[^"]*"|[\w.-]+)/g)) {
          const values = match[1].replace(/^\[|\]$/g, "").split(",").map((v) => v.trim().replace(/^"|"$/g, ""));
          for (const principal of values) {
            principals++;
            const accountRoot = /^arn:aws:iam::\d{12}:root$/.test(principal);
            const reference = /^(data\.)?(aws_iam_[a-z_]+)\.([^.]+)\.arn$/.exec(principal);
            const created = reference && (reference[1] ? json.data?.[reference[2]]?.[reference[3]] : json.resource?.[reference[2]]?.[reference[3]]);
            if (!accountRoot && !created) unknown.push(`${id} aws_kms_key.${keyId}: ${principal}`);
          }
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(principals).toBeGreaterThan(0);
  });

  test("every autoscaled node group has one shape (every cloud)", () => {
    const mixed: string[] = [];
    let groups = 0;
    for (const [id, json] of synthesized) {
      for (const [groupId, group] of Object.entries<any>(resourcesOf(json, "aws_eks_node_group"))) {
        groups++;
        const shapes = new Set((group.instance_types as string[]).map((type) => (EC2_INSTANCE_SHAPES[type] ? describeShape(EC2_INSTANCE_SHAPES[type]) : `unknown ${type}`)));
        if (shapes.size !== 1 || [...shapes][0].startsWith("unknown")) mixed.push(`${id} aws_eks_node_group.${groupId}: ${[...shapes].join(", ")}`);
      }
      const single = (where: string, size: unknown) => {
        groups++;
        if (typeof size !== "string" || size === "") mixed.push(`${id} ${where}: ${JSON.stringify(size)}`);
      };
      for (const [poolId, pool] of Object.entries<any>(resourcesOf(json, "google_container_node_pool"))) single(`google_container_node_pool.${poolId}`, pool.node_config?.machine_type);
      for (const [clusterId, cluster] of Object.entries<any>(resourcesOf(json, "azurerm_kubernetes_cluster"))) single(`azurerm_kubernetes_cluster.${clusterId}`, cluster.default_node_pool?.vm_size);
      for (const [poolId, pool] of Object.entries<any>(resourcesOf(json, "azurerm_kubernetes_cluster_node_pool"))) single(`azurerm_kubernetes_cluster_node_pool.${poolId}`, pool.vm_size);
      for (const [clusterId, cluster] of Object.entries<any>(resourcesOf(json, "digitalocean_kubernetes_cluster"))) single(`digitalocean_kubernetes_cluster.${clusterId}`, cluster.node_pool?.size);
      for (const [poolId, pool] of Object.entries<any>(resourcesOf(json, "digitalocean_kubernetes_node_pool"))) single(`digitalocean_kubernetes_node_pool.${poolId}`, pool.size);
    }
    expect(mixed).toEqual([]);
    expect(groups).toBeGreaterThan(0);
  });

  test("every log group a service exports to exists in the stack beforehand, with a KMS key and a retention", () => {
    const problems: string[] = [];
    let exports = 0;
    for (const [id, json] of synthesized) {
      const groups = Object.entries<any>(resourcesOf(json, "aws_cloudwatch_log_group"));
      /** Checks the group `name` (or the referenced group) exists, is encrypted and expires, and the exporter waits for it. */
      const check = (exporter: string, exporterResource: any, name: string) => {
        exports++;
        const address = referencedAddress(name);
        const entry = address
          ? groups.find(([groupId]) => `aws_cloudwatch_log_group.${groupId}` === address)
          : groups.find(([, group]) => group.name === name);
        if (!entry) {
          problems.push(`${id} ${exporter}: no log group ${name}`);
          return;
        }
        const [groupId, group] = entry;
        if (!group.kms_key_id) problems.push(`${id} ${group.name}: no KMS key`);
        if (!group.retention_in_days) problems.push(`${id} ${group.name}: kept for ever`);
        const ordered = address !== undefined || (exporterResource.depends_on ?? []).includes(`aws_cloudwatch_log_group.${groupId}`);
        if (!ordered) problems.push(`${id} ${exporter}: not ordered after ${group.name}`);
      };
      for (const [rid, db] of Object.entries<any>(resourcesOf(json, "aws_db_instance"))) {
        for (const log of db.enabled_cloudwatch_logs_exports ?? []) check(`aws_db_instance.${rid}`, db, `/aws/rds/instance/${db.identifier}/${log}`);
      }
      for (const [rid, cluster] of Object.entries<any>(resourcesOf(json, "aws_docdb_cluster"))) {
        for (const log of cluster.enabled_cloudwatch_logs_exports ?? []) check(`aws_docdb_cluster.${rid}`, cluster, `/aws/docdb/${cluster.cluster_identifier}/${log}`);
      }
      for (const [rid, cluster] of Object.entries<any>(resourcesOf(json, "aws_eks_cluster"))) {
        if ((cluster.enabled_cluster_log_types ?? []).length > 0) check(`aws_eks_cluster.${rid}`, cluster, `/aws/eks/${cluster.name}/cluster`);
      }
      for (const [rid, group] of Object.entries<any>(resourcesOf(json, "aws_elasticache_replication_group"))) {
        for (const delivery of group.log_delivery_configuration ?? []) check(`aws_elasticache_replication_group.${rid}`, group, delivery.destination);
      }
      for (const [rid, flowLog] of Object.entries<any>(resourcesOf(json, "aws_flow_log"))) check(`aws_flow_log.${rid}`, flowLog, flowLog.log_destination);
    }
    expect(problems).toEqual([]);
    expect(exports).toBeGreaterThan(0);
  });

  test("every encrypted log group's key lets CloudWatch Logs of the stack's region use it for that group (CreateLogGroup is refused otherwise)", () => {
    const problems: string[] = [];
    let encrypted = 0;
    for (const [id, json] of synthesized) {
      const provider = json.provider?.aws?.[0];
      const keys = resourcesOf(json, "aws_kms_key");
      for (const [groupId, group] of Object.entries<any>(resourcesOf(json, "aws_cloudwatch_log_group"))) {
        if (!group.kms_key_id) continue;
        encrypted++;
        const where = `${id} aws_cloudwatch_log_group.${groupId} (${group.name})`;
        // The key is created in the same stack: ordered before the group, and its policy readable here.
        const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(group.kms_key_id)?.[1];
        if (!keyId || !keys[keyId]) {
          problems.push(`${where}: key ${group.kms_key_id} is not a key of this stack`);
          continue;
        }
        const region = provider?.region;
        const account = provider?.allowed_account_ids?.[0];
        const groupArn = `arn:aws:logs:${region}:${account}:log-group:${group.name}`;
        const allows = policyStatements(keys[keyId].policy).some((statement) => {
          const actions = [statement.Action].flat();
          const context = { ...statement.Condition?.ArnLike, ...statement.Condition?.ArnEquals }["kms:EncryptionContext:aws:logs:arn"];
          return (
            statement.Effect === "Allow" &&
            statement.Principal?.Service === `logs.${region}.amazonaws.com` &&
            ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"].every((action) => actions.includes(action) || actions.includes("kms:*")) &&
            typeof context === "string" &&
            arnMatches(context, groupArn)
          );
        });
        if (!allows) problems.push(`${where}: aws_kms_key.${keyId}'s policy does not let logs.${region}.amazonaws.com use it for ${groupArn}`);
      }
    }
    expect(problems).toEqual([]);
    expect(encrypted).toBeGreaterThan(0);
  });

  test("every AWS subnet is pinned by zone id (names differ per account), never in a zone EKS refuses", () => {
    const problems: string[] = [];
    let subnets = 0;
    for (const [id, json] of synthesized) {
      for (const [subnetId, subnet] of Object.entries<any>(resourcesOf(json, "aws_subnet"))) {
        subnets++;
        if (subnet.availability_zone !== undefined) problems.push(`${id} aws_subnet.${subnetId}: pinned by zone name ${subnet.availability_zone}`);
        if (typeof subnet.availability_zone_id !== "string" || !/^[a-z]+\d-az\d+$/.test(subnet.availability_zone_id)) problems.push(`${id} aws_subnet.${subnetId}: no zone id`);
        else if (EKS_UNSUPPORTED_ZONE_IDS.includes(subnet.availability_zone_id)) problems.push(`${id} aws_subnet.${subnetId}: ${subnet.availability_zone_id} is refused by EKS`);
      }
    }
    expect(problems).toEqual([]);
    expect(subnets).toBeGreaterThan(0);
  });

  test("every RDS and DocumentDB parameter group's family is the one of the engine version that uses it", () => {
    const problems: string[] = [];
    let pairs = 0;
    const groupOf = (json: TerraformJson, type: string, reference: unknown) => {
      const name = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.name\\}$`).exec(String(reference))?.[1];
      return name ? resourcesOf(json, type)[name] : undefined;
    };
    for (const [id, json] of synthesized) {
      for (const [rid, db] of Object.entries<any>(resourcesOf(json, "aws_db_instance"))) {
        pairs++;
        const group = groupOf(json, "aws_db_parameter_group", db.parameter_group_name);
        const expected = `${db.engine}${String(db.engine_version).split(".")[0]}`;
        if (group?.family !== expected) problems.push(`${id} aws_db_instance.${rid} (${db.engine} ${db.engine_version}): parameter group family ${group?.family}, expected ${expected}`);
      }
      for (const [rid, cluster] of Object.entries<any>(resourcesOf(json, "aws_docdb_cluster"))) {
        pairs++;
        const group = groupOf(json, "aws_docdb_cluster_parameter_group", cluster.db_cluster_parameter_group_name);
        const expected = `docdb${String(cluster.engine_version).split(".").slice(0, 2).join(".")}`;
        if (group?.family !== expected) problems.push(`${id} aws_docdb_cluster.${rid} (${cluster.engine_version}): parameter group family ${group?.family}, expected ${expected}`);
      }
    }
    expect(problems).toEqual([]);
    expect(pairs).toBeGreaterThan(0);
  });
});
