/**
 * Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Each launch gets a fresh temporary
 * profile (Playwright creates and deletes it), so no stored key or setting leaks from one run to the next.
 * Missing Chromium is a failure with the fix, never a silent skip.
 */
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the end-to-end tests need it. ` +
        "Install it with `sudo apt-get install chromium` (CI does), or set CHROMIUM_PATH to a Chromium binary."
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}
