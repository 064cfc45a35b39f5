/**
 * A recording fake of Infobip's `POST /billing/1/usage/query`: it records every request exactly as received
 * (headers and body) and answers as the test says (201 with a fresh requestId by default). The test then
 * plays Infobip's part of the callback with {@link deliver}.
 */
import { randomBytes } from "node:crypto";
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer this much later (a slow Infobip). */
  delayMs?: number;
}

export interface Submission {
  authorization: string | undefined;
  callbackUrl: string;
  request: unknown;
  requestId: string;
}

export class FakeInfobip {
  readonly requests: RecordedRequest[] = [];
  readonly submissions: Submission[] = [];
  private answer: (request: RecordedRequest) => FakeAnswer = () => ({ status: 201 });

  private constructor(
    private readonly server: http.Server,
    readonly url: string
  ) {}

  static async start(): Promise<FakeInfobip> {
    // The server exists before the fake that answers through it.
    const started: { fake?: FakeInfobip } = {};
    const server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on("data", (part: Buffer) => parts.push(part));
      req.on("end", () => started.fake?.handle(req, Buffer.concat(parts).toString("utf8"), res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    started.fake = new FakeInfobip(server, `http://127.0.0.1:${port}`);
    return started.fake;
  }

  /** How to answer the next submissions; the default is a 201 with a new requestId. */
  respondWith(answer: (request: RecordedRequest) => FakeAnswer): void {
    this.answer = answer;
  }

  lastSubmission(): Submission {
    const last = this.submissions.at(-1);
    if (last === undefined) throw new Error("Infobip received no query");
    return last;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const recorded: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
    this.requests.push(recorded);
    const answer = this.answer(recorded);
    let text = answer.body;
    if (answer.status === 201 && text === undefined) {
      const requestId = randomBytes(16).toString("hex").toUpperCase();
      const parsed = JSON.parse(body) as { callbackUrl: string; request: unknown };
      this.submissions.push({
        authorization: req.headers.authorization,
        callbackUrl: parsed.callbackUrl,
        request: parsed.request,
        requestId,
      });
      text = JSON.stringify({ requestId });
    }
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(text ?? "");
    };
    if (answer.delayMs === undefined) send();
    else setTimeout(send, answer.delayMs).unref();
  }
}

export interface Delivered {
  status: number;
  text: string;
  headers: IncomingHttpHeaders;
}

/** POSTs a callback body as Infobip would, optionally in several pieces; resolves with the answer. */
export function deliver(
  url: string,
  body: string | Buffer | Buffer[],
  headers: Record<string, string> = { "content-type": "application/json" }
): Promise<Delivered> {
  const pieces = Array.isArray(body) ? body : [typeof body === "string" ? Buffer.from(body) : body];
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers }, (response) => {
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(parts).toString("utf8"),
          headers: response.headers,
        })
      );
      response.on("error", reject);
    });
    // A relay that refuses early may close the connection while the body is still going out.
    request.on("error", reject);
    for (const piece of pieces) request.write(piece);
    request.end();
  });
}
