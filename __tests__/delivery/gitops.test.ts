/**
 * The GitOps tree (k8s/base + k8s/overlays/<cloud>) that each cluster's Argo CD syncs: every
 * overlay builds with the pinned kustomize (.ci/run installs it into .tools/bin), the API gateway
 * requires Cloudflare's origin-pull client certificate for api.<domain> of every environment, the
 * API has autoscaling and disruption defaults, and the overlays differ from the base only where a
 * cloud differs.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { KUBERNETES_CLOUDS } from "../../modules/config/environment";
import { shippedEnvironments } from "../support/synth";

const root = path.join(__dirname, "..", "..");
const kustomize = path.join(process.env.ADDTOCLOUD_TOOLS ?? path.join(root, ".tools", "bin"), "kustomize");

function build(dir: string): any[] {
  if (!existsSync(kustomize)) {
    throw new Error(`kustomize is missing at ${kustomize}: .ci/run installs it (GOBIN=.tools/bin go install sigs.k8s.io/kustomize/kustomize/v5@v5.8.1)`);
  }
  const out = execFileSync(kustomize, ["build", path.join(root, dir)], { encoding: "utf8" });
  return parseAllDocuments(out).map((d) => d.toJSON());
}

const find = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const base = build("k8s/base");
const overlays = KUBERNETES_CLOUDS.map((cloud) => [cloud, build(`k8s/overlays/${cloud}`)] as const);
const apiHosts = shippedEnvironments().map((env) => `api.${env.domain}`).sort();

describe("the GitOps tree", () => {
  test("every cluster's Argo CD path exists: the default platform.gitops points at k8s/overlays/<cloud> of this repository", () => {
    for (const env of shippedEnvironments()) {
      expect(env.platform.gitops.pathPrefix).toBe("k8s/overlays");
      expect(env.platform.gitops.repoUrl).toBe(`https://github.com/${env.delivery.github.repository}.git`);
    }
    expect(overlays.map(([cloud]) => cloud)).toEqual([...KUBERNETES_CLOUDS]);
  });

  test.each(overlays)("%s: the API gateway serves api.<domain> of every environment only to Cloudflare (mutual TLS)", (_, docs) => {
    const gateway = find(docs, "Gateway", "api");
    expect(gateway.metadata.namespace).toBe("istio-ingress");
    expect(gateway.spec.selector).toEqual({ istio: "ingressgateway" });
    expect(gateway.spec.servers).toHaveLength(1);
    const [server] = gateway.spec.servers;
    expect(server.port.protocol).toBe("HTTPS");
    expect(server.tls).toEqual({ mode: "MUTUAL", credentialName: "api-origin-tls", minProtocolVersion: "TLSV1_2" });
    expect(server.hosts.map((h: string) => h.replace(/^addtocloud\//, "")).sort()).toEqual(apiHosts);
    expect([...find(docs, "Certificate", "api-origin-tls").spec.dnsNames].sort()).toEqual(apiHosts);
    expect([...find(docs, "VirtualService", "api").spec.hosts].sort()).toEqual(apiHosts);
  });

  test.each(overlays)("%s: the API scales on CPU from at least two pods and drains one pod at a time", (_, docs) => {
    const hpa = find(docs, "HorizontalPodAutoscaler", "api");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(find(docs, "PodDisruptionBudget", "api").spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "api" } } });
    expect(find(docs, "Namespace", "addtocloud").metadata.labels["istio-injection"]).toBe("enabled");
  });

  test.each(overlays)("%s: differs from the base only in its cloud label and the API's replica bounds", (cloud, docs) => {
    const strip = (d: any) => {
      const copy = structuredClone(d);
      delete copy.metadata.labels?.["addtocloud.tech/cloud"];
      if (copy.kind === "HorizontalPodAutoscaler") {
        delete copy.spec.minReplicas;
        delete copy.spec.maxReplicas;
      }
      return copy;
    };
    expect(docs.map(strip)).toEqual(base.map(strip));
    for (const d of docs) expect(d.metadata.labels["addtocloud.tech/cloud"]).toBe(cloud);
  });
});
