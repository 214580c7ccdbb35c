/**
 * One formatted-HCL snapshot per stack, over every shipped environment, grouped so each test folder
 * owns its snapshot file: `describeStackSnapshots(cloud)` covers a cloud's own layers (platform
 * stacks excluded), `describeStackSnapshots("platform")` covers every cluster's platform stack.
 * The snapshot is the file `cdktf synth --hcl` writes for the stack (the real app command,
 * formatting included), read from the run's shared app output (support/app-output.ts).
 * The test names ("<stack-id> matches its formatted HCL snapshot") are what __tests__/matrix.test.ts
 * looks for to prove every stack has a snapshot.
 */
import * as fs from "node:fs";
import { environments } from "../../config";
import type { CloudName } from "../../modules/config/environment";
import { runApp } from "./app-output";

/** Cloud and layer of a stack id (`<env>-<cloud>-<layer>`, `<env>-interconnect-<a>-<b>`). */
export function stackPlace(id: string): { env: string; cloud: string; layer: string } {
  const env = environments.map((e) => e.name).find((name) => id.startsWith(`${name}-`));
  if (!env) throw new Error(`stack '${id}' belongs to no shipped environment`);
  const parts = id.slice(env.length + 1).split("-");
  return { env, cloud: parts[0], layer: parts[0] === "interconnect" ? "link" : parts[parts.length - 1] };
}

export function describeStackSnapshots(group: CloudName | "platform"): void {
  const { stacks } = runApp({ hcl: true });
  // The cross-cloud network (gateway and link stacks) has its own snapshot file under interconnect/.
  const inGroup = (stack: { cloud: string; layer: string }) =>
    group === "platform"
      ? stack.layer === "platform"
      : group === "interconnect"
        ? stack.cloud === "interconnect" || stack.layer === "gateway"
        : stack.cloud === group && stack.layer !== "platform" && stack.layer !== "gateway";
  const ids = [...stacks.keys()].filter((id) => inGroup(stackPlace(id)));
  describe(`${group} stack snapshots`, () => {
    test("the shipped environments build at least one stack", () => {
      expect(ids.length).toBeGreaterThan(0);
    });
    test.each(ids)("%s matches its formatted HCL snapshot", (id) => {
      expect(fs.readFileSync(stacks.get(id)!.file, "utf8")).toMatchSnapshot();
    });
  });
}
