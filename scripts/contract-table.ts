// Prints the contract table (markdown) of docs/contracts.md from modules/contracts/layers.ts; with
// --write, replaces it in docs/contracts.md between the contract-table markers.
// __tests__/readme.test.ts checks that docs/contracts.md holds the current table.
import { readFileSync, writeFileSync } from "node:fs";
import { contractTable, replaceContractTable } from "../modules/contracts/table";

if (process.argv.includes("--write")) {
  writeFileSync("docs/contracts.md", replaceContractTable(readFileSync("docs/contracts.md", "utf8")));
} else {
  process.stdout.write(contractTable());
}
