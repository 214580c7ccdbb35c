/**
 * One formatted-HCL snapshot per stack of a cloud, over every shipped environment.
 * Each cloud's test folder calls this once, so its snapshots live in its own file.
 */
import type { CloudName } from "../../modules/config/environment";
import { buildStacks, shippedEnvironments, synthHclFormatted } from "./synth";

export function describeStackSnapshots(cloud: CloudName): void {
  const { stacks } = buildStacks(shippedEnvironments());
  const ids = [...stacks.values()].filter((stack) => stack.cloud === cloud).map((stack) => stack.node.id);
  describe(`${cloud} stack snapshots`, () => {
    test("the shipped environments build at least one stack", () => {
      expect(ids.length).toBeGreaterThan(0);
    });
    test.each(ids)("%s matches its formatted HCL snapshot", async (id) => {
      expect(await synthHclFormatted(stacks.get(id)!)).toMatchSnapshot();
    });
  });
}
