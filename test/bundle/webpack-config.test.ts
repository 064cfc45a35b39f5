/**
 * Which office.js the pane loads (issue 10, point 3): a production build references Microsoft's CDN (as a Marketplace
 * add-in must) and ships no copy of office.js; the dev server, which `npm start` and the end-to-end tests use, serves
 * the bundled copy (no network needed). The help page the manifest's SupportUrl names is built too. The built
 * dist/taskpane.html itself is checked by `ADDIN_PUBLIC_URL=… npm run build` in CI.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

interface PageOptions {
  filename?: string;
  template?: string;
  templateParameters?: Record<string, unknown>;
  inject?: unknown;
}

interface Built {
  pages: PageOptions[];
  copied: string[];
  devtool: unknown;
}

/**
 * The config webpack would use, read in a child process: webpack.config.js loads TypeScript through tsx, which
 * jest's module system cannot host.
 */
function configFor(mode: "production" | "development"): Built {
  const script = `
    const factory = require(${JSON.stringify(path.join(repoRoot, "webpack.config.js"))});
    console.log = () => {};
    factory({}, { mode: ${JSON.stringify(mode)} }).then((config) => {
      const pages = config.plugins.filter((p) => p.userOptions && p.userOptions.filename).map((p) => p.userOptions);
      const copied = config.plugins.flatMap((p) => (p.patterns || []).map((pattern) => pattern.from));
      process.stdout.write(JSON.stringify({ pages, copied, devtool: config.devtool }));
    });
  `;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: repoRoot, encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`webpack.config.js failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Built;
}

function page(built: Built, filename: string): PageOptions | undefined {
  return built.pages.find((p) => p.filename === filename);
}

describe("office.js in the build", () => {
  jest.setTimeout(60_000);

  it("comes from Microsoft's CDN in production, with no copy in dist", () => {
    const built = configFor("production");
    expect(page(built, "taskpane.html")?.templateParameters).toEqual({
      officeJs: "https://appsforoffice.microsoft.com/lib/1/hosted/office.js",
    });
    expect(built.copied).not.toContain("node_modules/@microsoft/office-js/dist");
  });

  it("comes from the bundled copy on the dev server", () => {
    const built = configFor("development");
    expect(page(built, "taskpane.html")?.templateParameters).toEqual({ officeJs: "office-js/office.js" });
    expect(built.copied).toContain("node_modules/@microsoft/office-js/dist");
  });

  it("builds the help page the manifest's SupportUrl points at, and no separate command page", () => {
    const built = configFor("production");
    expect(page(built, "help.html")).toMatchObject({ template: "./src/taskpane/help.html", inject: false });
    expect(page(built, "commands.html")).toBeUndefined();
  });
});

describe("source maps (issue 12, point 9)", () => {
  jest.setTimeout(60_000);

  it("are not made by a production build: dist/ is served to the world", () => {
    expect(configFor("production").devtool).toBe(false);
  });

  it("are made for development, where the dev server serves them to the developer", () => {
    expect(configFor("development").devtool).toBe("source-map");
  });
});
