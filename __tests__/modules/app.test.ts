import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { environments } from "../../config";
import { ConfigError } from "../../modules/config/load";
import { synthesize } from "../../stacks/app";

describe("synthesize", () => {
  test("a bad config throws before anything is written", () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-config-")), "cdktf.out");
    const bad = environments.map((env) => ({ ...env, domain: "not a domain" }));
    expect(() => synthesize(bad, { outdir })).toThrow(ConfigError);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("an unknown environment selection throws before anything is written", () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-selection-")), "cdktf.out");
    expect(() => synthesize(environments, { outdir, selection: "qa" })).toThrow("unknown environment 'qa'");
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
