/**
 * HTTPS or plain http for the dev server. Office sideloads only HTTPS add-ins, so `npm start` installs the Office
 * development certificate (office-addin-dev-certs) where that can work. On Linux the certificate authority is
 * trusted with `sudo`, and in CI nobody is there to confirm: there the pane is served over http://localhost,
 * which a browser accepts as a secure context, and the reason is printed.
 */
import { spawnSync } from "node:child_process";

export type DevServerTransport = { protocol: "https" } | { protocol: "http"; reason: string };

export interface TransportHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  hasCommand: (name: string) => boolean;
  /** office-addin-dev-certs' `ensureCertificatesAreInstalled`; throws when it cannot install. */
  installCertificates: () => Promise<void>;
}

/** Why certificates cannot be installed here, or undefined when it is worth trying. */
export function reasonForPlainHttp(host: Omit<TransportHost, "installCertificates">): string | undefined {
  if (host.env.DEV_SERVER_HTTP === "1") return "DEV_SERVER_HTTP=1 is set";
  if (host.env.CI && host.env.CI !== "false")
    return "CI is set and the certificate authority cannot be trusted unattended";
  if (host.platform !== "win32" && host.platform !== "darwin" && !host.hasCommand("sudo")) {
    return "office-addin-dev-certs trusts its certificate authority with sudo, and sudo is not available here";
  }
  return undefined;
}

export async function chooseTransport(host: TransportHost): Promise<DevServerTransport> {
  const reason = reasonForPlainHttp(host);
  if (reason) return { protocol: "http", reason };
  try {
    await host.installCertificates();
    return { protocol: "https" };
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split("\n")[0];
    return { protocol: "http", reason: `the Office development certificate could not be installed (${first})` };
  }
}

export function commandExists(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}
