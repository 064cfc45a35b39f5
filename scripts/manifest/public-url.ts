/**
 * The manifest is written for the dev server (https://localhost:3000). In production the relay serves the pane,
 * the command page and the icons from its own public address, so every URL of the dev origin is rewritten to it.
 *
 * Pure functions, shared by `scripts/manifest-for-url.ts` and `webpack.config.js` (production build).
 */

/** The origin that `manifest.xml` is written for: the webpack dev server. */
export const DEV_ORIGIN = "https://localhost:3000";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Thrown for an address that Office could not load the add-in from; the message says what to pass instead. */
export class PublicUrlError extends Error {
  override name = "PublicUrlError";
}

/**
 * Checks the public address of the add-in and returns it without a trailing slash.
 * Office loads add-ins over HTTPS only; plain http is accepted for localhost, which is enough for local tests.
 */
export function parsePublicUrl(input: string): string {
  const raw = input.trim();
  if (raw === "") {
    throw new PublicUrlError(
      "No public URL given: pass the relay's public HTTPS address, e.g. https://billing.example.com"
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PublicUrlError(
      `"${raw}" is not an absolute URL: pass the relay's public HTTPS address, e.g. https://billing.example.com`
    );
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new PublicUrlError(
      `"${raw}" is not an HTTPS URL: Office only loads add-ins over HTTPS ` +
        "(plain http is accepted for localhost, for testing only)."
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new PublicUrlError(`"${raw}" contains a user name or password: pass the bare public address.`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new PublicUrlError(
      `"${raw}" has a query or fragment: pass only the origin and, if the pane is not served at the root, a path.`
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function escapeXmlAttribute(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// The dev origin as a whole: followed by a path, a closing quote or tag, or the end — never by more port digits.
const DEV_ORIGIN_PATTERN = /https:\/\/localhost:3000(?![\w.:-])/g;

/** Rewrites every URL of the dev origin in a manifest to the given (already checked) public address. */
export function rewriteManifestUrls(manifestXml: string, publicUrl: string): string {
  const target = escapeXmlAttribute(parsePublicUrl(publicUrl));
  return manifestXml.replace(DEV_ORIGIN_PATTERN, target);
}

/** How many URLs of the dev origin a manifest contains. */
export function countDevOriginUrls(manifestXml: string): number {
  return manifestXml.match(DEV_ORIGIN_PATTERN)?.length ?? 0;
}
