import { readFileSync } from "node:fs";
import * as path from "node:path";
import { replaceContractTable } from "../modules/contracts/table";

test("the contract table of docs/contracts.md matches the contracts in code (npm run contracts -- --write)", () => {
  const readme = readFileSync(path.join(__dirname, "..", "docs", "contracts.md"), "utf8");
  expect(replaceContractTable(readme)).toBe(readme);
});
