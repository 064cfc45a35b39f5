/**
 * Offline validation of an add-in manifest (XML) against the Office manifest XSDs, with libxml2 compiled to WebAssembly.
 *
 * `libxml2-wasm` is an ES module with top-level await, so it is loaded with a dynamic `import()` that stays native
 * under tsx. Jest (ts-jest, CommonJS) cannot load it: tests run `scripts/validate-manifest.ts` as a child process.
 */
import fs from "node:fs";
import path from "node:path";

/** The schema file that imports the others (basic types, task-pane and mail version overrides). */
export const SCHEMA_ENTRY = "OfficeAppManifestV1_1.xsd";

/** Environment variable that points at another folder of manifest schemas. */
export const SCHEMA_DIR_ENV = "OFFICE_MANIFEST_SCHEMAS";

export interface ManifestIssue {
  /** 1-based line in the manifest, 0 when libxml2 gives none. */
  line: number;
  /** 1-based column, 0 when libxml2 gives none (usual for schema errors). */
  col: number;
  message: string;
}

export interface ManifestValidation {
  valid: boolean;
  issues: ManifestIssue[];
}

/** Where the schemas are: `$OFFICE_MANIFEST_SCHEMAS`, else `../shared/reference/office-manifest-schemas/` beside the repo. */
export function schemaDirFor(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[SCHEMA_DIR_ENV];
  if (override !== undefined && override.trim() !== "") {
    return path.resolve(override);
  }
  return path.resolve(repoRoot, "..", "shared", "reference", "office-manifest-schemas");
}

/** True when the folder holds the entry schema. */
export function hasSchemas(schemaDir: string): boolean {
  return fs.existsSync(path.join(schemaDir, SCHEMA_ENTRY));
}

type Libxml2 = typeof import("libxml2-wasm");

let libxml2: Promise<Libxml2> | undefined;

/** Loads libxml2-wasm once, with the file-system input provider so that `xs:import` reads sibling XSDs from disk. */
function loadLibxml2(): Promise<Libxml2> {
  libxml2 ??= (async () => {
    const [lib, nodejs] = await Promise.all([import("libxml2-wasm"), import("libxml2-wasm/lib/nodejs.mjs")]);
    nodejs.xmlRegisterFsInputProviders();
    return lib;
  })();
  return libxml2;
}

interface LibxmlErrorDetail {
  message: string;
  line?: number;
  col?: number;
}

function hasDetails(err: unknown): err is { details: LibxmlErrorDetail[] } {
  return typeof err === "object" && err !== null && Array.isArray((err as { details?: unknown }).details);
}

function toIssues(err: unknown): ManifestIssue[] {
  if (hasDetails(err) && err.details.length > 0) {
    return err.details.map((d) => ({ line: d.line ?? 0, col: d.col ?? 0, message: d.message.trim() }));
  }
  return [{ line: 0, col: 0, message: err instanceof Error ? err.message.trim() : String(err) }];
}

/**
 * Validates manifest XML text against the schemas in `schemaDir`. Invalid XML and schema violations are returned as
 * issues; a missing or unreadable schema folder throws.
 */
export async function validateManifestXml(
  manifestXml: string,
  options: { schemaDir: string; fileName?: string }
): Promise<ManifestValidation> {
  const { XmlDocument, XsdValidator } = await loadLibxml2();
  const xsdPath = path.join(options.schemaDir, SCHEMA_ENTRY);
  // The url lets libxml2 resolve the schema's relative xs:import locations from its own folder.
  const xsdDoc = XmlDocument.fromBuffer(fs.readFileSync(xsdPath), { url: xsdPath });
  try {
    const validator = XsdValidator.fromDoc(xsdDoc);
    try {
      let manifest;
      try {
        manifest = XmlDocument.fromString(manifestXml, { url: options.fileName ?? "manifest.xml" });
      } catch (err) {
        return { valid: false, issues: toIssues(err) };
      }
      try {
        validator.validate(manifest);
        return { valid: true, issues: [] };
      } catch (err) {
        return { valid: false, issues: toIssues(err) };
      } finally {
        manifest.dispose();
      }
    } finally {
      validator.dispose();
    }
  } finally {
    xsdDoc.dispose();
  }
}

/** Reads and validates a manifest file. */
export async function validateManifestFile(file: string, schemaDir: string): Promise<ManifestValidation> {
  return validateManifestXml(fs.readFileSync(file, "utf8"), { schemaDir, fileName: file });
}

/** `file:line:col: message`, the shape editors and CI logs link to. */
export function formatIssue(file: string, issue: ManifestIssue): string {
  const where = issue.line > 0 ? (issue.col > 0 ? `:${issue.line}:${issue.col}` : `:${issue.line}`) : "";
  return `${file}${where}: ${issue.message}`;
}
