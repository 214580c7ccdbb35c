// Prints the README's contract table (markdown) from modules/contracts/layers.ts; with --write,
// replaces it in README.md between the contract-table markers. __tests__/readme.test.ts checks that
// the README holds the current table.
import { readFileSync, writeFileSync } from "node:fs";
import { contractTable, replaceContractTable } from "../modules/contracts/table";

if (process.argv.includes("--write")) {
  writeFileSync("README.md", replaceContractTable(readFileSync("README.md", "utf8")));
} else {
  process.stdout.write(contractTable());
}
