/**
 * What the cluster will do with the platform stacks, checked over every platform stack of every
 * shipped environment: hook Jobs that can finish, mesh traffic that can flow, pods that fit their
 * nodes, secrets that exist, images the admission policy admits, and releases ordered after what
 * they need. Facts about what the pinned charts render live in constructs/kubernetes/chart-facts.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CLUSTER_AUTOSCALER_TAGS } from "../../constructs/kubernetes/autoscaling";
import { chartFacts, valueAt } from "../../constructs/kubernetes/chart-facts";
import { NO_SIDECAR, SIDECAR_INJECTION_LABEL } from "../../constructs/kubernetes/namespace";
import { PREREQUISITE_SECRETS, prerequisitesTable } from "../../constructs/kubernetes/prerequisites";
import { addonEnabled } from "../../modules/config/clouds/platform";
import type { EnvironmentConfig, KubernetesCloud } from "../../modules/config/environment";
import { VERSION_TABLE } from "../../modules/config/versions";
import { MACHINE_TYPES, addonPoolMachineTypes, allocatable } from "../../modules/machine-types";
import { buildStacks, resourcesOf, shippedEnvironment, shippedEnvironments, stackOf, synthJson, TerraformJson } from "../support/synth";

interface PlatformStack {
  readonly id: string;
  readonly env: EnvironmentConfig;
  readonly cloud: KubernetesCloud;
  readonly json: TerraformJson;
}

/** Every platform stack of every shipped environment. */
const envs = shippedEnvironments();
const { stacks } = buildStacks(envs);
const PLATFORM: PlatformStack[] = [...stacks.values()]
  .filter((stack) => stack.layer === "platform")
  .map((stack) => ({ id: stack.node.id, env: envs.find((e) => e.name === stack.env.name)!, cloud: stack.cloud as KubernetesCloud, json: synthJson(stack) }));
const cases = PLATFORM.map((stack) => [stack.id, stack] as const);
const byIdJson = (id: string) => PLATFORM.find((s) => s.id === id)!.json;

interface ReleaseView {
  readonly address: string;
  readonly name: string;
  readonly chart: string;
  readonly version: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly values: Record<string, any>;
  readonly dependsOn: readonly string[];
}

function releasesOf(json: TerraformJson): ReleaseView[] {
  return Object.entries(resourcesOf(json, "helm_release")).map(([id, r]: [string, any]) => ({
    address: `helm_release.${id}`,
    name: r.name,
    chart: r.chart,
    version: r.version,
    namespace: r.namespace,
    createNamespace: r.create_namespace !== false,
    values: r.values ? parse(r.values[0]) ?? {} : {},
    dependsOn: r.depends_on ?? [],
  }));
}

/** Manifests a release of the `raw` chart installs (ManifestBundle). */
const manifestsOf = (release: ReleaseView): Record<string, any>[] => (release.chart === "raw" ? release.values.resources ?? [] : []);

/** Namespace resources of a stack: name -> address and labels. */
function namespacesOf(json: TerraformJson): Map<string, { address: string; labels: Record<string, string> }> {
  const found = new Map<string, { address: string; labels: Record<string, string> }>();
  for (const [id, ns] of Object.entries(resourcesOf(json, "kubernetes_namespace_v1")) as [string, any][]) {
    found.set(ns.metadata.name, { address: `kubernetes_namespace_v1.${id}`, labels: ns.metadata.labels ?? {} });
  }
  return found;
}

const injected = (json: TerraformJson) =>
  new Set([...namespacesOf(json)].filter(([, ns]) => Object.entries(SIDECAR_INJECTION_LABEL).every(([k, v]) => ns.labels[k] === v)).map(([name]) => name));

/** Everything a resource depends on, directly or through what it depends on. */
function transitiveDependencies(json: TerraformJson, address: string): Set<string> {
  const direct = (addr: string): string[] => {
    const [type, id] = addr.split(".");
    return resourcesOf(json, type)[id]?.depends_on ?? [];
  };
  const seen = new Set<string>();
  const queue = [...direct(address)];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...direct(next));
  }
  return seen;
}

/** Releases installing into a namespace before what creates it, or into an injected one before istiod. */
function orderingProblems(json: TerraformJson): string[] {
  const releases = releasesOf(json);
  const injectedNamespaces = injected(json);
  const namespaces = namespacesOf(json);
  const istiod = releases.find((r) => r.name === "istiod");
  const problems: string[] = [];
  for (const release of releases) {
    const deps = transitiveDependencies(json, release.address);
    const ns = namespaces.get(release.namespace);
    if (ns) {
      if (!deps.has(ns.address)) problems.push(`${release.name} installs into '${release.namespace}' without depending on ${ns.address}`);
      if (release.createNamespace) problems.push(`${release.name} also creates '${release.namespace}', which ${ns.address} owns`);
    } else if (!release.createNamespace && !BUILT_IN_NAMESPACES.has(release.namespace)) {
      const creator = releases.find((r) => r.namespace === release.namespace && r.createNamespace);
      if (!creator) problems.push(`${release.name} installs into '${release.namespace}', which nothing creates`);
      else if (!deps.has(creator.address)) problems.push(`${release.name} installs into '${release.namespace}' before ${creator.name} creates it`);
    }
    if (istiod && injectedNamespaces.has(release.namespace) && !deps.has(istiod.address)) {
      problems.push(`${release.name} installs into the injected '${release.namespace}' without waiting for istiod`);
    }
  }
  return problems;
}

/** Namespaces that exist before any stack runs. */
const BUILT_IN_NAMESPACES = new Set(["kube-system", "default"]);

describe.each(cases)("%s", (_id, stack) => {
  const releases = releasesOf(stack.json);
  const injectedNamespaces = injected(stack.json);

  test("is one of the platform stacks under test, with releases", () => {
    expect(releases.length).toBeGreaterThan(10);
  });

  test("every Job and CronJob in an injected namespace opts out of the sidecar (Istio 1.24's sidecar would keep it from completing)", () => {
    const problems: string[] = [];
    for (const release of releases.filter((r) => injectedNamespaces.has(r.namespace))) {
      if (release.chart === "raw") {
        for (const m of manifestsOf(release).filter((m) => m.kind === "Job" || m.kind === "CronJob")) {
          const pod = m.kind === "Job" ? m.spec?.template : m.spec?.jobTemplate?.spec?.template;
          if (pod?.metadata?.annotations?.["sidecar.istio.io/inject"] !== "false") problems.push(`${release.name}: ${m.kind} ${m.metadata.name}`);
        }
        continue;
      }
      const facts = chartFacts(release.chart, release.version);
      if (!facts) {
        problems.push(`${release.name}: nobody has recorded the Jobs of ${release.chart}@${release.version} in chart-facts.ts`);
        continue;
      }
      for (const job of facts.jobs.filter((j) => j.rendered(release.values))) {
        const annotations = valueAt(release.values, job.podAnnotations) ?? {};
        if (annotations["sidecar.istio.io/inject"] !== NO_SIDECAR["sidecar.istio.io/inject"]) {
          problems.push(`${release.name}: ${job.kind} ${job.name} (${job.hook ?? "scheduled"}) lacks ${job.podAnnotations.join(".")}["sidecar.istio.io/inject"] = "false"`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test("every namespace that sends or receives mesh traffic is injected (or lets it through with a PeerAuthentication)", () => {
    const permissive = new Set(
      releases.flatMap(manifestsOf).filter((m) => m.kind === "PeerAuthentication" && m.spec?.mtls?.mode !== "STRICT").map((m) => m.metadata.namespace),
    );
    const inMesh = (ns: string) => injectedNamespaces.has(ns) || permissive.has(ns);
    const problems: string[] = [];
    for (const release of releases) {
      // A Certificate names hosts, it does not send to them; nor does a TLS `serverName` (the name a
      // client checks in the certificate, e.g. a ServiceMonitor's, whose scrapes go to the pods its selector finds).
      const notDestinations = (key: string, value: unknown) => (key === "serverName" ? undefined : value);
      const text = JSON.stringify(release.chart === "raw" ? manifestsOf(release).filter((m) => m.kind !== "Certificate") : release.values, notDestinations);
      // `<service>.<namespace>.svc.cluster.local`: on every cluster but the hub, the hub's backends exist
      // only in the mesh (even in a namespace of the same name), and the hub's STRICT mTLS admits only mesh peers.
      for (const [, target] of text.matchAll(/[a-z0-9-]+\.([a-z0-9-]+)\.svc\.cluster\.local/g)) {
        if (!inMesh(release.namespace)) problems.push(`${release.name} sends from '${release.namespace}' (not in the mesh) to '${target}'`);
        if (!inMesh(target)) problems.push(`${release.name} sends to '${target}', which is not in the mesh`);
      }
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  test("the explicit resource requests of every add-on fit the smallest node of the pools it schedules on", () => {
    const types = addonPoolMachineTypes(stack.env, stack.cloud);
    const unknown = types.filter((t) => !MACHINE_TYPES[t]);
    expect(unknown).toEqual([]); // add the type to modules/machine-types.ts
    const nodes = types.map((t) => allocatable(MACHINE_TYPES[t]));
    const smallest = { cpuMillis: Math.min(...nodes.map((n) => n.cpuMillis)), memoryMiB: Math.min(...nodes.map((n) => n.memoryMiB)) };
    const requests: { where: string; cpuMillis: number; memoryMiB: number }[] = [];
    const walk = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${where}[${i}]`));
      else if (node && typeof node === "object") {
        for (const [key, child] of Object.entries(node)) {
          const request = key === "resources" && child && typeof child === "object" ? (child as any).requests : undefined;
          if (request && (request.cpu !== undefined || request.memory !== undefined)) {
            requests.push({ where: `${where}.resources`, cpuMillis: cpuMillis(request.cpu), memoryMiB: memoryMiB(request.memory) });
          }
          walk(child, `${where}.${key}`);
        }
      }
    };
    for (const release of releases) {
      walk(release.values, release.name);
      for (const computed of chartFacts(release.chart, release.version)?.computedRequests ?? []) {
        const r = computed.requests(release.values);
        if (r) requests.push({ where: `${release.name} ${computed.component} (computed by the chart)`, ...r });
      }
    }
    const tooBig = requests.filter((r) => r.cpuMillis > smallest.cpuMillis || r.memoryMiB > smallest.memoryMiB);
    expect(tooBig.map((r) => `${r.where}: ${r.cpuMillis}m / ${r.memoryMiB}Mi > ${smallest.cpuMillis}m / ${smallest.memoryMiB}Mi (${types.join(", ")})`)).toEqual([]);
    // The big consumers state their requests, so this check has something to weigh.
    expect(requests.map((r) => r.where)).toEqual(expect.arrayContaining([expect.stringMatching(/^kube-prometheus-stack\.prometheus\.prometheusSpec/), expect.stringMatching(/^vault\.server/)]));
  });

  test("every secret a chart value refers to is created by this stack (or its controllers) or is a documented prerequisite", () => {
    const created = new Set<string>();
    for (const [, s] of Object.entries(resourcesOf(stack.json, "kubernetes_secret_v1")) as [string, any][]) created.add(`${s.metadata.namespace}/${s.metadata.name}`);
    const referenced: { ref: string; by: string }[] = [];
    for (const release of releases) {
      const manifests = manifestsOf(release);
      for (const m of manifests) {
        const ns = m.metadata?.namespace ?? release.namespace;
        if (m.kind === "Secret") created.add(`${ns}/${m.metadata.name}`);
        // cert-manager writes a Certificate's secret and an ACME issuer's account key itself.
        if (m.kind === "Certificate") created.add(`${ns}/${m.spec.secretName}`);
        const acmeKey = m.spec?.acme?.privateKeySecretRef?.name;
        if (acmeKey) created.add(`${ns}/${acmeKey}`);
        if ((m.kind === "Issuer" || m.kind === "ClusterIssuer") && m.spec?.ca?.secretName) referenced.push({ ref: `${ns}/${m.spec.ca.secretName}`, by: `${release.name} ${m.kind} ${m.metadata.name}` });
      }
      const walk = (node: unknown, ns: string, where: string) => {
        if (typeof node === "string") {
          // Argo CD's `$<secret>:<key>` references.
          for (const [, name] of node.matchAll(/\$([a-z0-9][a-z0-9-]*):[A-Za-z0-9._-]+/g)) referenced.push({ ref: `${ns}/${name}`, by: where });
        } else if (Array.isArray(node)) node.forEach((item, i) => walk(item, ns, `${where}[${i}]`));
        else if (node && typeof node === "object") {
          const o = node as Record<string, any>;
          if (o.type === "secret" && typeof o.name === "string") referenced.push({ ref: `${ns}/${o.name}`, by: where });
          for (const [key, child] of Object.entries(o)) {
            const childNs = key === "metadata" ? ns : (o.metadata?.namespace ?? ns);
            if (key === "existingSecret" && typeof child === "string" && child) referenced.push({ ref: `${ns}/${child}`, by: `${where}.${key}` });
            if (/SecretRef$|^secretKeyRef$/.test(key) && key !== "privateKeySecretRef" && child?.name) referenced.push({ ref: `${childNs}/${child.name}`, by: `${where}.${key}` });
            walk(child, childNs, `${where}.${key}`);
          }
        }
      };
      walk(release.chart === "raw" ? manifests : release.values, release.namespace, release.name);
    }
    const prerequisites = new Set(
      PREREQUISITE_SECRETS.filter((p) => addonEnabled(stack.env.platform, stack.cloud, p.addon) && (p.needed?.(stack.env.platform) ?? true)).map((p) => `${p.namespace}/${p.name}`),
    );
    const missing = referenced.filter((r) => !created.has(r.ref) && !prerequisites.has(r.ref));
    expect(missing.map((r) => `${r.ref} (${r.by})`)).toEqual([]);
  });

  test("Gatekeeper's allowed repositories admit every image the catalogue puts into the namespaces the constraint matches, injected sidecars included", () => {
    const constraint = releases.flatMap(manifestsOf).find((m) => m.kind === "K8sAllowedRepos");
    if (!addonEnabled(stack.env.platform, stack.cloud, "gatekeeper")) return expect(constraint).toBeUndefined();
    if (!constraint) throw new Error("Gatekeeper is on but no K8sAllowedRepos constraint is installed");
    const repos: string[] = constraint.spec.parameters.repos;
    const matched: string[] = constraint.spec.match.namespaces;
    const images: { image: string; why: string }[] = [];
    const istiod = releases.find((r) => r.name === "istiod");
    for (const ns of matched.filter((n) => injectedNamespaces.has(n))) {
      expect(istiod).toBeDefined();
      // istio-proxy and istio-init run global.hub/proxyv2:global.tag (chart defaults: docker.io/istio, the chart version).
      const hub = istiod!.values.global?.hub ?? "docker.io/istio";
      const tag = istiod!.values.global?.tag ?? istiod!.version;
      images.push({ image: `${hub}/${istiod!.values.global?.proxy?.image ?? "proxyv2"}:${tag}`, why: `istio-proxy and istio-init injected into '${ns}'` });
    }
    for (const release of releases.filter((r) => matched.includes(r.namespace))) {
      images.push({ image: "(unknown)", why: `release ${release.name} installs into '${release.namespace}': list its images here` });
    }
    const denied = images.filter((i) => !repos.some((repo) => i.image.startsWith(repo)));
    expect(denied.map((i) => `${i.image}: ${i.why}`)).toEqual([]);
  });

  test("every release that installs into a namespace depends on whatever creates it, and waits for istiod where pods get sidecars", () => {
    expect(orderingProblems(stack.json)).toEqual([]);
  });

  test("Gatekeeper constraints install only after a hook has seen every constraint CRD created and established", () => {
    const constraintReleases = releases.filter((r) => manifestsOf(r).some((m) => String(m.apiVersion).startsWith("constraints.gatekeeper.sh/")));
    for (const release of constraintReleases) {
      const deps = transitiveDependencies(stack.json, release.address);
      const waited = new Set(
        releases
          .filter((r) => deps.has(r.address))
          .flatMap(manifestsOf)
          .filter((m) => m.kind === "Job" && /post-install/.test(m.metadata?.annotations?.["helm.sh/hook"] ?? ""))
          .flatMap((job) => {
            const spec = job.spec.template.spec;
            const args = (c: any) => (c.command ?? []).concat(c.args ?? []).join(" ");
            const created = (spec.initContainers ?? []).concat(spec.containers).filter((c: any) => args(c).includes("--for=create"));
            const established = (spec.initContainers ?? []).concat(spec.containers).filter((c: any) => args(c).includes("--for=condition=Established"));
            const crds = (containers: any[]) => containers.flatMap((c: any) => (c.command ?? []).filter((a: string) => a.startsWith("crd/")));
            const both = new Set(crds(established));
            return crds(created).filter((crd: string) => both.has(crd));
          }),
      );
      const kinds = manifestsOf(release).filter((m) => String(m.apiVersion).startsWith("constraints.gatekeeper.sh/")).map((m) => m.kind as string);
      expect(kinds.filter((kind) => !waited.has(`crd/${kind.toLowerCase()}.constraints.gatekeeper.sh`))).toEqual([]);
    }
  });
});

describe("the add-on fixes, on their instances", () => {
  const byId = (id: string) => PLATFORM.find((s) => s.id === id)!;
  const release = (id: string, name: string) => releasesOf(byId(id).json).find((r) => r.name === name)!;

  test("Vault serves TLS with a cert-manager certificate, its CLI trusts that CA, and followers join the Raft leader by themselves", () => {
    const vault = release("production-aws-platform", "vault").values;
    expect(vault.global.tlsDisable).toBe(false);
    expect(vault.server.ha.raft.config).not.toMatch(/tls_disable/);
    expect(vault.server.ha.raft.config).toContain('tls_cert_file   = "/vault/userconfig/vault-server-tls/tls.crt"');
    expect(vault.server.ha.raft.config.match(/retry_join \{/g)).toHaveLength(3);
    expect(vault.server.ha.raft.config).toContain('leader_api_addr     = "https://vault-2.vault-internal:8200"');
    expect(vault.server.extraEnvironmentVars.VAULT_CACERT).toBe("/vault/userconfig/vault-server-tls/ca.crt");
    const certificate = release("production-aws-platform", "vault-tls").values.resources.find((m: any) => m.kind === "Certificate" && m.spec.secretName === "vault-server-tls");
    expect(certificate.spec.dnsNames).toEqual(expect.arrayContaining(["vault.vault.svc", "*.vault-internal"]));
    expect(certificate.spec.ipAddresses).toEqual(["127.0.0.1"]);
  });

  test("the public ClusterIssuer solves DNS-01 in the environment's Cloudflare zone (the parent zone for staging)", () => {
    const solver = (id: string) => release(id, "cluster-issuers").values.resources[0].spec.acme.solvers[0];
    expect(solver("production-gcp-platform")).toEqual({
      dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare-api-token", key: "api-token" } } },
      selector: { dnsZones: ["addtocloud.tech"] },
    });
    expect(solver("staging-aws-platform").selector.dnsZones).toEqual(["addtocloud.tech"]);
  });

  test("Argo CD signs in through OIDC in production with the local admin off; staging, without SSO, keeps the admin", () => {
    const prod = release("production-azure-platform", "argocd").values;
    expect(prod.configs.cm["admin.enabled"]).toBe(false);
    expect(parse(prod.configs.cm["oidc.config"])).toMatchObject({ issuer: expect.stringMatching(/^https:\/\//), clientSecret: "$argocd-oidc:client-secret" });
    expect(prod.configs.rbac["policy.csv"]).toMatch(/role:admin/);
    expect(prod.dex.enabled).toBe(false);
    expect(release("staging-gcp-platform", "argocd").values.configs.cm["admin.enabled"]).toBe(true);
  });

  test("cluster-autoscaler has a release pinned for every EKS minor the version table allows", () => {
    expect(Object.keys(CLUSTER_AUTOSCALER_TAGS).sort()).toEqual(VERSION_TABLE.eks.map((v) => v.version).sort());
    for (const [minor, tag] of Object.entries(CLUSTER_AUTOSCALER_TAGS)) expect(tag).toMatch(new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`));
  });

  test("cluster-autoscaler runs the release of the cluster's Kubernetes minor", () => {
    for (const stack of PLATFORM.filter((s) => s.cloud === "aws")) {
      const minor = stack.env.clouds.aws!.cluster.kubernetesVersion;
      expect(release(stack.id, "cluster-autoscaler").values.image.tag).toMatch(new RegExp(`^v${minor.replace(".", "\\.")}\\.\\d+$`));
    }
  });

  test("other clusters remote-write to every hub Prometheus replica, each behind a Service selecting that pod alone", () => {
    const hub = release("production-aws-platform", "metrics-hub").values.resources;
    const replicas = release("production-aws-platform", "kube-prometheus-stack").values.prometheus.prometheusSpec.replicas;
    expect(hub.map((s: any) => s.spec.selector["statefulset.kubernetes.io/pod-name"])).toEqual(
      Array.from({ length: replicas }, (_, n) => `prometheus-kube-prometheus-stack-prometheus-${n}`),
    );
    for (const stack of PLATFORM.filter((s) => s.env.name === "production" && s.cloud !== "aws")) {
      const urls = release(stack.id, "kube-prometheus-stack").values.prometheus.prometheusSpec.remoteWrite.map((w: any) => w.url);
      expect(urls).toEqual(hub.map((s: any) => `http://${s.metadata.name}.monitoring.svc.cluster.local:9090/api/v1/write`));
    }
  });
});

describe("add-ons off by default", () => {
  test("with every add-on on, releases still wait for their namespaces and istiod", () => {
    const all = shippedEnvironment("production", (input) => {
      input.platform = { ...input.platform, addons: { "api-gateway": true, consul: true } };
    });
    for (const cloud of ["aws", "gcp"]) {
      const json = synthJson(stackOf([all], `production-${cloud}-platform`));
      expect(releasesOf(json).map((r) => r.name)).toEqual(expect.arrayContaining(["emissary-ingress", "consul"]));
      expect(orderingProblems(json)).toEqual([]);
    }
  });

  test("Argo CD's applications sync only after the application namespaces exist and istiod injects", () => {
    const json = byIdJson("production-gcp-platform");
    const appOfApps = releasesOf(json).find((r) => r.name === "app-of-apps")!;
    const deps = transitiveDependencies(json, appOfApps.address);
    const appNamespace = namespacesOf(json).get("addtocloud")!;
    expect([...deps]).toEqual(expect.arrayContaining([appNamespace.address, releasesOf(json).find((r) => r.name === "istiod")!.address]));
  });
});

describe("docs/platform-addons.md", () => {
  test("lists exactly the prerequisite secrets of prerequisites.ts", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../docs/platform-addons.md"), "utf8");
    const table = /<!-- prerequisites-table:start -->\n([\s\S]*?)\n<!-- prerequisites-table:end -->/.exec(doc)?.[1];
    expect(table).toBe(prerequisitesTable());
  });
});

function cpuMillis(value: unknown): number {
  if (value === undefined) return 0;
  const text = String(value);
  return text.endsWith("m") ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

function memoryMiB(value: unknown): number {
  if (value === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(String(value));
  if (!match) throw new Error(`unreadable memory quantity ${String(value)}`);
  const factors: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576 };
  return Number(match[1]) * (match[2] ? factors[match[2]] : 1 / 1048576);
}
