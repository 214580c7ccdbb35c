/**
 * One formatted-HCL snapshot per stack, over every shipped environment, grouped so each test folder
 * owns its snapshot file: `describeStackSnapshots(cloud)` covers a cloud's own layers (platform
 * stacks excluded), `describeStackSnapshots("platform")` covers every cluster's platform stack.
 * The test names ("<stack-id> matches its formatted HCL snapshot") are what __tests__/matrix.test.ts
 * looks for to prove every stack has a snapshot.
 */
import type { CloudName } from "../../modules/config/environment";
import { buildStacks, shippedEnvironments, synthHclFormatted } from "./synth";

export function describeStackSnapshots(group: CloudName | "platform"): void {
  const { stacks } = buildStacks(shippedEnvironments());
  const ids = [...stacks.values()]
    .filter((stack) => (group === "platform" ? stack.layer === "platform" : stack.cloud === group && stack.layer !== "platform"))
    .map((stack) => stack.node.id);
  describe(`${group} stack snapshots`, () => {
    test("the shipped environments build at least one stack", () => {
      expect(ids.length).toBeGreaterThan(0);
    });
    // HCL rendering and the formatter's wasm start-up take seconds on a loaded machine.
    test.each(ids)(
      "%s matches its formatted HCL snapshot",
      async (id) => {
        expect(await synthHclFormatted(stacks.get(id)!)).toMatchSnapshot();
      },
      60_000,
    );
  });
}
