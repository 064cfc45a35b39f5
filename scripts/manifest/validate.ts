/**
 * Offline validation of an add-in manifest (XML) against the Office manifest XSDs, with libxml2 compiled to WebAssembly.
 *
 * `libxml2-wasm` is an ES module with top-level await, so it is loaded with a dynamic `import()` that stays native
 * under tsx. Jest (ts-jest, CommonJS) cannot load it: tests run `scripts/validate-manifest.ts` as a child process.
 *
 * The schema set in ../shared/reference predates the `<Runtimes>` element (its README says so). Microsoft publishes
 * the current schema in the MS-OWEMXML open specification, where the task pane `Host` type starts with an optional
 * `Runtimes` element of `Runtime` children (https://learn.microsoft.com/openspecs/office_file_formats/ms-owemxml/514d1f0e-5775-49cd-82ee-44ccbb02ade0,
 * https://learn.microsoft.com/openspecs/office_file_formats/ms-owemxml/80264f46-1f56-4d04-926f-e3b3c7d1d005), each
 * with a `resid` of at most 32 characters and a `lifetime` of `short` (default) or `long`
 * (https://learn.microsoft.com/javascript/api/manifest/runtime). {@link withRuntimesSchema} adds exactly those
 * definitions to a copy of the set, so a shared-runtime manifest validates, and a misplaced or misspelt `<Runtimes>`
 * still fails, as it would against Microsoft's schema.
 */
import fs from "node:fs";
import os from "node:os";
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

/** The task pane VersionOverrides schema, which defines the `Host` type. */
export const TASKPANE_OVERRIDES_XSD = "TaskPaneAppVersionOverridesV1_0.xsd";

const RUNTIME_TYPES = `
  <xs:complexType name="Runtimes">
    <xs:sequence minOccurs="1" maxOccurs="unbounded">
      <xs:element name="Runtime" type="Runtime"/>
    </xs:sequence>
  </xs:complexType>
  <xs:simpleType name="RuntimeLifetime">
    <xs:restriction base="xs:string">
      <xs:enumeration value="short"/>
      <xs:enumeration value="long"/>
    </xs:restriction>
  </xs:simpleType>
  <xs:complexType name="Runtime">
    <xs:attribute name="resid" type="bt:URLReferenceId" use="required"/>
    <xs:attribute name="lifetime" type="RuntimeLifetime" use="optional" default="short"/>
  </xs:complexType>
`;

/**
 * The task pane overrides schema with `Runtimes` as MS-OWEMXML defines it: first child of `Host`, then the type
 * definitions. A schema that already has them is returned as it is.
 */
export function withRuntimesSchema(xsd: string): string {
  if (/name="Runtimes"/.test(xsd)) return xsd;
  const host = /(<xs:complexType name="Host" abstract="true">[\s\S]*?<xs:sequence>)/.exec(xsd);
  if (!host?.[1]) throw new Error(`${TASKPANE_OVERRIDES_XSD}: no abstract Host type to add <Runtimes> to.`);
  const withElement = xsd.replace(
    host[1],
    `${host[1]}\n      <xs:element name="Runtimes" type="Runtimes" minOccurs="0" maxOccurs="1"/>`
  );
  return withElement.replace(/<\/xs:schema>\s*$/, `${RUNTIME_TYPES}</xs:schema>\n`);
}

/** A temporary copy of the schema folder with {@link withRuntimesSchema} applied; remove it when done. */
export function schemaCopyWithRuntimes(schemaDir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "office-manifest-schemas-"));
  for (const file of fs.readdirSync(schemaDir)) {
    if (!file.endsWith(".xsd")) continue;
    const text = fs.readFileSync(path.join(schemaDir, file), "utf8");
    fs.writeFileSync(path.join(copy, file), file === TASKPANE_OVERRIDES_XSD ? withRuntimesSchema(text) : text);
  }
  return copy;
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
  const schemaDir = schemaCopyWithRuntimes(options.schemaDir);
  try {
    return await validateAgainst(manifestXml, schemaDir, options.fileName);
  } finally {
    fs.rmSync(schemaDir, { recursive: true, force: true });
  }
}

async function validateAgainst(manifestXml: string, schemaDir: string, fileName?: string): Promise<ManifestValidation> {
  const { XmlDocument, XsdValidator } = await loadLibxml2();
  const xsdPath = path.join(schemaDir, SCHEMA_ENTRY);
  // The url lets libxml2 resolve the schema's relative xs:import locations from its own folder.
  const xsdDoc = XmlDocument.fromBuffer(fs.readFileSync(xsdPath), { url: xsdPath });
  try {
    const validator = XsdValidator.fromDoc(xsdDoc);
    try {
      let manifest;
      try {
        manifest = XmlDocument.fromString(manifestXml, { url: fileName ?? "manifest.xml" });
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
