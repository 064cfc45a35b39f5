/**
 * The add-in manifest: valid against the Office XSDs (offline), rejected when out of order, and still valid once
 * rewritten for a public address. libxml2-wasm is an ES module that ts-jest's CommonJS cannot load, so the validator
 * runs as it does in `npm run validate`: `tsx scripts/validate-manifest.ts` in a child process.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEV_ORIGIN, parsePublicUrl, rewriteManifestUrls } from "../../scripts/manifest/public-url";
import { hasSchemas, schemaDirFor, withRuntimesSchema } from "../../scripts/manifest/validate";
import { REFRESH_ALL_FUNCTION } from "../../src/commands/commands";

const repoRoot = path.resolve(__dirname, "..", "..");
const manifestPath = path.join(repoRoot, "manifest.xml");
const manifestXml = fs.readFileSync(manifestPath, "utf8");
const tsxCli = path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");

function runScript(script: string, args: string[]) {
  const result = spawnSync(process.execPath, [tsxCli, path.join(repoRoot, "scripts", script), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmpDir: string;

beforeAll(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "manifest-test-"));
});

afterAll(() => {
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

describe("offline validation (scripts/validate-manifest.ts)", () => {
  jest.setTimeout(60_000);

  beforeAll(() => {
    const schemaDir = schemaDirFor(repoRoot);
    if (!hasSchemas(schemaDir)) {
      throw new Error(`Offline manifest schemas not found at ${schemaDir}; set OFFICE_MANIFEST_SCHEMAS.`);
    }
  });

  it("accepts manifest.xml", () => {
    const { status, stdout, stderr } = runScript("validate-manifest.ts", [manifestPath]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/manifest\.xml: valid against the Office add-in manifest schemas \(offline/);
  });

  it("rejects <Permissions> moved before <DefaultSettings>, naming the element and its line", () => {
    const permissions = "  <Permissions>ReadWriteDocument</Permissions>\n";
    expect(manifestXml).toContain(permissions);
    const reordered = manifestXml
      .replace(permissions, "")
      .replace("  <DefaultSettings>", `${permissions}  <DefaultSettings>`);
    const file = path.join(tmpDir, "out-of-order.xml");
    fs.writeFileSync(file, reordered);
    const line = reordered.split("\n").findIndex((l) => l.includes("<Permissions>")) + 1;

    const { status, stderr } = runScript("validate-manifest.ts", [file]);
    expect(status).toBe(1);
    expect(stderr).toContain("not expected");
    expect(stderr).toContain(
      `out-of-order.xml:${line}: Element '{http://schemas.microsoft.com/office/appforoffice/1.1}Permissions'`
    );
  });

  it("reports XML that is not well formed with its line", () => {
    const file = path.join(tmpDir, "broken.xml");
    fs.writeFileSync(file, manifestXml.replace("</ProviderName>", "</Provider>"));
    const { status, stderr } = runScript("validate-manifest.ts", [file]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/broken\.xml:8:\d+: Opening and ending tag mismatch/);
  });

  it("accepts the shared runtime where Microsoft's schema puts it, and rejects it elsewhere or misspelt", () => {
    const runtimes = /\s*<Runtimes>[\s\S]*?<\/Runtimes>/.exec(manifestXml)?.[0] ?? "";
    expect(runtimes).toContain('lifetime="long"');
    const cases: [string, string, RegExp][] = [
      [
        "runtimes-after-form-factor.xml",
        manifestXml.replace(runtimes, "").replace("</DesktopFormFactor>", `</DesktopFormFactor>${runtimes}`),
        /Element '\{http:\/\/schemas.microsoft.com\/office\/taskpaneappversionoverrides\}Runtimes': This element is not expected/,
      ],
      ["lifetime-forever.xml", manifestXml.replace('lifetime="long"', 'lifetime="forever"'), /lifetime/],
      ["runtime-without-resid.xml", manifestXml.replace('<Runtime resid="Taskpane.Url"', "<Runtime"), /resid/],
    ];
    for (const [name, xml, problem] of cases) {
      const file = path.join(tmpDir, name);
      fs.writeFileSync(file, xml);
      const { status, stderr } = runScript("validate-manifest.ts", [file]);
      expect(status).toBe(1);
      expect(stderr).toMatch(problem);
    }
  });

  it("writes a production manifest for a public HTTPS address that validates too", () => {
    const out = path.join(tmpDir, "dist", "manifest.xml");
    const written = runScript("manifest-for-url.ts", ["https://billing.example.com/", "--out", out]);
    expect(written.stderr).toBe("");
    expect(written.status).toBe(0);

    const prod = fs.readFileSync(out, "utf8");
    expect(prod).not.toContain("localhost");
    expect(prod).toContain('<SourceLocation DefaultValue="https://billing.example.com/taskpane.html"/>');
    expect(prod).toContain('DefaultValue="https://billing.example.com/assets/icon-80.png"');

    const validated = runScript("validate-manifest.ts", [out]);
    expect(validated.status).toBe(0);
  });

  it("refuses a plain-http public address", () => {
    const out = path.join(tmpDir, "refused.xml");
    const { status, stderr } = runScript("manifest-for-url.ts", ["http://billing.example.com", "--out", out]);
    expect(status).toBe(2);
    expect(stderr).toContain("not an HTTPS URL");
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("manifest.xml content", () => {
  const urls = [...manifestXml.matchAll(/DefaultValue="(https:\/\/localhost:3000\/[^"]+)"/g)].map((m) => m[1] ?? "");

  it("points every add-in URL at the dev server", () => {
    expect(urls.length).toBeGreaterThan(0);
    expect(manifestXml).toContain('<SourceLocation DefaultValue="https://localhost:3000/taskpane.html"/>');
  });

  it.each(["icon-16.png", "icon-32.png", "icon-64.png", "icon-80.png", "icon-128.png", "logo-filled.png"])(
    "ships assets/%s as a PNG",
    (file) => {
      const bytes = fs.readFileSync(path.join(repoRoot, "assets", file));
      expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    }
  );

  it("references only icons that exist in assets/", () => {
    const assets = urls.filter((u) => u.includes("/assets/")).map((u) => u.replace(`${DEV_ORIGIN}/`, ""));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(fs.existsSync(path.join(repoRoot, asset))).toBe(true);
  });

  it("names the same ribbon function that src/commands/commands.ts associates", () => {
    const functionName = /<FunctionName>([^<]+)<\/FunctionName>/.exec(manifestXml)?.[1];
    expect(functionName).toBe("refreshAllBillingTables");
    expect(REFRESH_ALL_FUNCTION).toBe(functionName);
    const commands = fs.readFileSync(path.join(repoRoot, "src", "commands", "commands.ts"), "utf8");
    expect(commands).toContain("Office.actions.associate(REFRESH_ALL_FUNCTION, refreshAllBillingTables)");
  });

  it("runs the ribbon in the pane's page: one long-lived runtime, one task pane", () => {
    expect(manifestXml).toContain('<Runtime resid="Taskpane.Url" lifetime="long"/>');
    expect(manifestXml).toContain('<FunctionFile resid="Taskpane.Url"/>');
    // "none of the descendant <Action> elements should have a <TaskpaneID> child element" (a shared runtime has one pane).
    expect(manifestXml).not.toMatch(/<TaskpaneId>/i);
    expect(manifestXml).not.toContain("commands.html");
    const overrides = manifestXml.slice(manifestXml.indexOf("<VersionOverrides"));
    expect(overrides).toMatch(
      /<Requirements>\s*<bt:Sets DefaultMinVersion="1.1">\s*<bt:Set Name="SharedRuntime" MinVersion="1.1"\/>/
    );
  });

  it("declares the ExcelApi version the workbook code needs, in the base manifest", () => {
    const base = manifestXml.slice(0, manifestXml.indexOf("<VersionOverrides"));
    expect(base).toMatch(/<Requirements>\s*<Sets DefaultMinVersion="1.1">\s*<Set Name="ExcelApi" MinVersion="1.7"\/>/);
  });

  it("points SupportUrl at the help page served with the pane, and names the publisher", () => {
    expect(manifestXml).toContain(`<SupportUrl DefaultValue="${DEV_ORIGIN}/help.html"/>`);
    expect(fs.existsSync(path.join(repoRoot, "src", "taskpane", "help.html"))).toBe(true);
    expect(manifestXml).toContain("<ProviderName>Billing Usage for Excel maintainers</ProviderName>");
  });
});

describe("the shared schema set, supplemented with <Runtimes> (scripts/manifest/validate.ts)", () => {
  it("adds Runtimes as the Host type's first child, and its types, once", () => {
    const xsd =
      '<xs:schema><xs:complexType name="Host" abstract="true">\n    <xs:sequence>\n      <xs:element name="AllFormFactors"/>\n    </xs:sequence>\n  </xs:complexType>\n</xs:schema>\n';
    const patched = withRuntimesSchema(xsd);
    expect(patched).toMatch(
      /<xs:sequence>\s*<xs:element name="Runtimes" type="Runtimes" minOccurs="0" maxOccurs="1"\/>\s*<xs:element name="AllFormFactors"\/>/
    );
    expect(patched).toContain('<xs:attribute name="lifetime" type="RuntimeLifetime" use="optional" default="short"/>');
    expect(withRuntimesSchema(patched)).toBe(patched);
  });
});

describe("public URL rewrite (scripts/manifest/public-url.ts)", () => {
  it.each([
    ["https://billing.example.com", "https://billing.example.com"],
    ["https://billing.example.com/", "https://billing.example.com"],
    ["  https://Billing.Example.com:8443/excel/  ", "https://billing.example.com:8443/excel"],
    ["http://localhost:3000", "http://localhost:3000"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080"],
  ])("accepts %j as %j", (input, expected) => {
    expect(parsePublicUrl(input)).toBe(expected);
  });

  it.each([
    ["", /No public URL/],
    ["billing.example.com", /not an absolute URL/],
    ["http://billing.example.com", /not an HTTPS URL/],
    ["ftp://billing.example.com", /not an HTTPS URL/],
    ["https://user:secret@billing.example.com", /user name or password/],
    ["https://billing.example.com/?x=1", /query or fragment/],
  ])("refuses %j", (input, message) => {
    expect(() => parsePublicUrl(input)).toThrow(message);
  });

  it("rewrites the dev origin and nothing that merely starts like it", () => {
    const xml =
      '<a v="https://localhost:3000/x.html"/><b v="https://localhost:3000"/><c v="https://localhost:30001/y"/>';
    expect(rewriteManifestUrls(xml, "https://b.example.com/p")).toBe(
      '<a v="https://b.example.com/p/x.html"/><b v="https://b.example.com/p"/><c v="https://localhost:30001/y"/>'
    );
  });

  it("escapes a path that would break the XML", () => {
    expect(rewriteManifestUrls('<a v="https://localhost:3000/"/>', "https://b.example.com/a&b")).toBe(
      '<a v="https://b.example.com/a&amp;b/"/>'
    );
  });
});
