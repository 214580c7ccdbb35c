// Prints the README's contract table (markdown) from modules/contracts/layers.ts, so the table is
// generated from the code it documents. A test checks that README.md contains it.
import { contractTable } from "../modules/contracts/table";

process.stdout.write(contractTable());
