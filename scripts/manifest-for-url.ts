/**
 * Writes the production manifest: manifest.xml with every https://localhost:3000 URL replaced by the public HTTPS
 * address that the relay serves the pane, the command page and the icons from.
 *
 *   npm run manifest:prod -- https://billing.example.com [--in manifest.xml] [--out dist/manifest.xml]
 *   ADDIN_PUBLIC_URL=https://billing.example.com npm run manifest:prod
 *
 * Refuses a URL that is not https (plain http only for localhost, for testing). Exit status: 0 written, 2 refused.
 */
import fs from "node:fs";
import path from "node:path";
import {
  countDevOriginUrls,
  DEV_ORIGIN,
  parsePublicUrl,
  PublicUrlError,
  rewriteManifestUrls,
} from "./manifest/public-url";

const repoRoot = path.resolve(__dirname, "..");
const usage =
  "Usage: npm run manifest:prod -- <public https URL> [--in manifest.xml] [--out dist/manifest.xml]\n" +
  "   or: ADDIN_PUBLIC_URL=<public https URL> npm run manifest:prod";

interface Options {
  url: string | undefined;
  input: string;
  output: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    url: undefined,
    input: path.join(repoRoot, "manifest.xml"),
    output: path.join(repoRoot, "dist", "manifest.xml"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--in" || arg === "--out") {
      const value = argv[++i];
      if (value === undefined) throw new PublicUrlError(`${arg} needs a file path.\n${usage}`);
      if (arg === "--in") options.input = path.resolve(value);
      else options.output = path.resolve(value);
    } else if (arg !== undefined && options.url === undefined) {
      options.url = arg;
    } else {
      throw new PublicUrlError(`Unexpected argument "${arg}".\n${usage}`);
    }
  }
  options.url ??= process.env.ADDIN_PUBLIC_URL;
  return options;
}

function main(): number {
  let options: Options;
  let publicUrl: string;
  try {
    options = parseArgs(process.argv.slice(2));
    if (options.url === undefined || options.url.trim() === "") {
      console.error(`No public URL: pass it as an argument or set ADDIN_PUBLIC_URL.\n${usage}`);
      return 2;
    }
    publicUrl = parsePublicUrl(options.url);
  } catch (err) {
    if (err instanceof PublicUrlError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }

  const source = fs.readFileSync(options.input, "utf8");
  const replaced = countDevOriginUrls(source);
  fs.mkdirSync(path.dirname(options.output), { recursive: true });
  fs.writeFileSync(options.output, rewriteManifestUrls(source, publicUrl));
  const shown = path.relative(process.cwd(), options.output);
  console.log(
    `Wrote ${shown.startsWith("..") ? options.output : shown}: ` +
      `${replaced} URL${replaced === 1 ? "" : "s"} moved from ${DEV_ORIGIN} to ${publicUrl}.`
  );
  return 0;
}

process.exitCode = main();
