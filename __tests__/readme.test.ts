import { readFileSync } from "node:fs";
import * as path from "node:path";
import { replaceContractTable } from "../modules/contracts/table";

test("the README's contract table matches the contracts in code (npm run contracts -- --write)", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  expect(replaceContractTable(readme)).toBe(readme);
});
