/**
 * One directory per test run for the app's output (__tests__/support/app-output.ts): the JSON, HCL
 * and review synths are made once and read by every test file that needs them. Workers inherit
 * the variable; global-teardown.ts removes the directory.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export default function globalSetup(): void {
  process.env.ADDTOCLOUD_TEST_APP_OUTPUT = fs.mkdtempSync(path.join(os.tmpdir(), "addtocloud-test-app-"));
}
