/**
 * Pods request the local disk they fill: over every platform stack of every shipped environment,
 * for each pod template of the plain-manifest releases, the disk-backed emptyDir volumes' size
 * limits fit in the pod's effective ephemeral-storage request (the larger of its init containers'
 * requests and the sum of its containers'). A pod that requests less is placed on a node without the
 * room and evicted mid-dump once the volume outgrows the node's free disk.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { runApp } from "../support/app-output";
import { stackPlace } from "../support/snapshots";

const output = runApp();

/** Bytes of a Kubernetes quantity (the binary and decimal suffixes these manifests use). */
function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ""] ?? 1;
  return Number(match[1]) * unit;
}

const podTemplate = (m: any): any => m.spec?.jobTemplate?.spec?.template?.spec ?? m.spec?.template?.spec;
const pods = [...output.stacks.values()]
  .filter((s) => stackPlace(s.id).layer === "platform")
  .flatMap((s) => {
    const json = JSON.parse(fs.readFileSync(s.file, "utf8"));
    return Object.values<any>(json.resource?.helm_release ?? {})
      .filter((r) => r.chart === "raw")
      .flatMap((r) => (r.values ?? []).flatMap((v: string) => parse(v)?.resources ?? []))
      .filter((m: any) => podTemplate(m)?.volumes?.some((v: any) => v.emptyDir?.sizeLimit && v.emptyDir.medium !== "Memory"))
      .map((m: any) => [s.id, `${m.kind} ${m.metadata.name}`, podTemplate(m)] as const);
  });

test("the matrix has pods with disk-backed scratch volumes (the data-copy jobs)", () => {
  expect(pods.length).toBeGreaterThan(3);
});

test.each(pods)("%s: %s requests the scratch disk it fills", (_stack, _name, pod) => {
  const scratch = pod.volumes.filter((v: any) => v.emptyDir?.sizeLimit && v.emptyDir.medium !== "Memory").reduce((sum: number, v: any) => sum + bytes(v.emptyDir.sizeLimit), 0);
  const request = (c: any) => bytes(c.resources?.requests?.["ephemeral-storage"] ?? "0");
  const effective = Math.max(...(pod.initContainers ?? []).map(request), (pod.containers ?? []).reduce((sum: number, c: any) => sum + request(c), 0));
  expect(effective).toBeGreaterThanOrEqual(scratch);
});
