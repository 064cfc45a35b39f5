/** Waiting for a server of the stack to answer: polls a URL until it returns 200, its process ends, or time runs out. */
import http from "node:http";
import https from "node:https";

/** One GET; resolves with the status code, or undefined when nothing answers yet. */
export function probe(url: string, timeoutMs = 5000): Promise<number | undefined> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const request = client.get(
      target,
      // The dev server's certificate is the local Office development one; this probe only ever asks localhost.
      { timeout: timeoutMs, ...(target.protocol === "https:" ? { rejectUnauthorized: false } : {}) },
      (response) => {
        response.resume();
        resolve(response.statusCode);
      }
    );
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(undefined));
  });
}

export class NotReadyError extends Error {
  override name = "NotReadyError";
}

/**
 * Resolves once `url` answers 200. Rejects when `exited` settles first (the server died) or after `timeoutMs`.
 * A server that compiles before it answers (the webpack dev server holds requests until the bundle is built)
 * is given each probe's full time to reply.
 */
export async function waitUntilReady(
  name: string,
  url: string,
  exited: Promise<number | string>,
  timeoutMs: number
): Promise<void> {
  let exitedWith: number | string | undefined;
  void exited.then((code) => (exitedWith = code));
  const deadline = Date.now() + timeoutMs;
  let lastStatus: number | undefined;
  while (Date.now() < deadline) {
    if (exitedWith !== undefined)
      throw new NotReadyError(`${name} stopped (exit ${exitedWith}) before ${url} answered.`);
    lastStatus = await probe(url, Math.max(1000, Math.min(60_000, deadline - Date.now())));
    if (lastStatus === 200) return;
    if (exitedWith !== undefined)
      throw new NotReadyError(`${name} stopped (exit ${exitedWith}) before ${url} answered.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new NotReadyError(
    `${name} did not answer 200 at ${url} within ${Math.round(timeoutMs / 1000)} s` +
      (lastStatus === undefined ? " (no answer at all)." : ` (last status ${lastStatus}).`)
  );
}
