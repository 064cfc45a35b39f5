/**
 * Two projects. `default`: every test, the relay's on SQLite. `postgresql`: the relay's store suite and HTTP
 * suites again on a real PostgreSQL server (a private cluster that test/support/postgres-global-setup.ts starts
 * only when one of these tests is selected), plus the PostgreSQL-only tests in test/relay/postgres/.
 *
 * Without PostgreSQL's server binaries (a laptop without Debian's `postgresql`), the PostgreSQL project is left
 * out with a loud warning, except under CI=true, where it stays and fails.
 */
const fs = require("node:fs");
const path = require("node:path");

/** Mirrors findPostgresBinDir() in test/support/postgres-cluster.ts (this file cannot import TypeScript). */
function hasPostgresBinaries() {
  const dirs = [process.env.POSTGRES_BIN_DIR, ...(process.env.PATH ?? "").split(path.delimiter)];
  const debian = "/usr/lib/postgresql";
  if (fs.existsSync(debian)) dirs.push(...fs.readdirSync(debian).map((version) => path.join(debian, version, "bin")));
  return dirs.some((dir) => dir && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl")));
}

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: "node",
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  },
  // office-addin-mock imports office-addin-manifest, whose dependencies are ESM-only:
  // the mock only needs the OfficeApp enum from it, so a small stub stands in.
  moduleNameMapper: {
    "^office-addin-manifest$": "<rootDir>/test/stubs/office-addin-manifest.ts",
  },
};

/** The relay suites that run on both stores (the others do not touch the store, or are SQLite's own). */
const BOTH_STORES = ["callbacks", "connections", "queries", "durability", "hygiene", "rate-limit", "store/store"].map(
  (name) => `<rootDir>/test/relay/${name}.test.ts`
);

const projects = [
  {
    ...shared,
    displayName: "default",
    roots: ["<rootDir>/src", "<rootDir>/test"],
    testMatch: ["**/*.test.ts", "**/*.test.tsx"],
    testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/relay/postgres/"],
  },
];

if (hasPostgresBinaries() || process.env.CI === "true") {
  projects.push({
    ...shared,
    displayName: "postgresql",
    roots: ["<rootDir>/test"],
    testMatch: [...BOTH_STORES, "<rootDir>/test/relay/postgres/**/*.test.ts"],
    globalSetup: "<rootDir>/test/support/postgres-global-setup.ts",
    globalTeardown: "<rootDir>/test/support/postgres-global-teardown.ts",
    globals: { RELAY_TEST_STORE: "postgresql" },
    setupFilesAfterEnv: ["<rootDir>/test/support/postgres-test-timeout.ts"],
  });
} else {
  process.stderr.write(
    [
      "",
      "!!! PostgreSQL server binaries (initdb, pg_ctl) not found: the relay's PostgreSQL tests are SKIPPED.",
      "!!! Install Debian's postgresql (apt-get install postgresql), or set POSTGRES_BIN_DIR, to run them.",
      "!!! (With CI=true they run and fail instead.)",
      "",
      "",
    ].join("\n")
  );
}

// Jest ends once every test has run even if a handle stays open (a relay's retry timer or worker thread left by a
// failed test), so CI reports instead of waiting for its own time limit; the open handle is a bug to find with
// `npx jest --detectOpenHandles`, not a reason for a red CI that says nothing.
module.exports = { projects, forceExit: true };
