/** Removes the run's shared app output (__tests__/global-setup.ts). */
import * as fs from "node:fs";

export default function globalTeardown(): void {
  const dir = process.env.ADDTOCLOUD_TEST_APP_OUTPUT;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
