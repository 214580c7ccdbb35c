// Tests are transformed by swc without type-checking (type-checking is `npm run typecheck`,
// a separate step that CI runs first): ts-jest took 29-78 s and 2-4 GB here, @swc/jest ~4 s.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  maxWorkers: 2,
  // The default 5 s was hit on the 2-core machine by a test's first HCL formatting (hcl-tools'
  // WebAssembly start) while the other worker synthesized whole environments.
  testTimeout: 20_000,
};
