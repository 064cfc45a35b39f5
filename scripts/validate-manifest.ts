/**
 * Validates add-in manifests offline against the Office manifest XSDs.
 *
 *   tsx scripts/validate-manifest.ts manifest.xml [more.xml ...]
 *
 * Schemas: $OFFICE_MANIFEST_SCHEMAS, else ../shared/reference/office-manifest-schemas/ beside the repo. Without them it
 * falls back to `office-addin-manifest validate`, Microsoft's online service, and says so.
 * Exit status: 0 all valid, 1 a manifest is invalid (or the online check failed), 2 usage or setup error.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  formatIssue,
  hasSchemas,
  SCHEMA_DIR_ENV,
  SCHEMA_ENTRY,
  schemaDirFor,
  validateManifestFile,
} from "./manifest/validate";

const repoRoot = path.resolve(__dirname, "..");

function validateOnline(files: string[], schemaDir: string): number {
  console.warn(
    `No offline manifest schemas at ${schemaDir} (set ${SCHEMA_DIR_ENV} to a folder holding ${SCHEMA_ENTRY}).\n` +
      "Falling back to `office-addin-manifest validate`, which sends the manifest to Microsoft's online service."
  );
  const bin = path.join(repoRoot, "node_modules", ".bin", "office-addin-manifest");
  let status = 0;
  for (const file of files) {
    const result = spawnSync(bin, ["validate", file], { stdio: "inherit" });
    if (result.error) {
      console.error(`Could not run office-addin-manifest: ${result.error.message}`);
      return 2;
    }
    if (result.status !== 0) status = 1;
  }
  return status;
}

async function main(): Promise<number> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("Usage: tsx scripts/validate-manifest.ts <manifest.xml> [more.xml ...]");
    return 2;
  }
  const missing = files.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    console.error(`Manifest not found: ${missing.join(", ")}`);
    return 2;
  }

  const schemaDir = schemaDirFor(repoRoot);
  if (!hasSchemas(schemaDir)) {
    return validateOnline(files, schemaDir);
  }

  let status = 0;
  for (const file of files) {
    const result = await validateManifestFile(file, schemaDir);
    if (result.valid) {
      console.log(`${file}: valid against the Office add-in manifest schemas (offline, ${SCHEMA_ENTRY}).`);
    } else {
      status = 1;
      console.error(`${file}: invalid (${result.issues.length} problem${result.issues.length === 1 ? "" : "s"}):`);
      for (const issue of result.issues) console.error(`  ${formatIssue(file, issue)}`);
    }
  }
  return status;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    console.error(`Manifest validation failed to run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  }
);
