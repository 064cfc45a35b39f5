/**
 * Emulator controls, registered under the `/_emulator` prefix, apart from Infobip's paths. They need no
 * API key: the emulator is a local development and test tool. Bodies are JSON, validated with zod; a bad
 * body is answered 400 in Infobip's `ApiError` shape with one violation per problem.
 *
 * - `GET    /_emulator/clock`              the emulated time, retention window and each month's status.
 * - `PUT    /_emulator/clock`              `{"now": "2026-04-05T00:00:00Z"}` stops the clock at an instant;
 *                                          `{"advanceDays": 1.5}` moves it (a real clock keeps running).
 * - `GET    /_emulator/faults`             the queued faults and how many uses each has left.
 * - `POST   /_emulator/faults`             queues one fault, e.g. `{"kind": "failed", "count": 2}` (see faults.ts).
 * - `DELETE /_emulator/faults`             clears the queue.
 * - `GET    /_emulator/requests`           recent submissions (newest first) and what became of their callbacks.
 * - `GET    /_emulator/requests/:requestId` one of them (404 when unknown).
 * - `GET    /_emulator/accounts`           the account hierarchy (names, keys, currencies) and the demo keys.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import {
  badRequest,
  billingPeriodsFor,
  finalizationDate,
  parseApiDateTime,
  retentionWindow,
  violationsFromZod,
} from "../../billing";
import { DEMO_KEYS } from "../auth";
import { FaultSchema } from "../faults";

export const ClockChangeSchema = z.union([
  z.strictObject({
    now: z.string().refine((text) => parseApiDateTime(text) !== undefined, {
      message: "must be a date-time such as 2026-04-05T00:00:00Z or 2026-04-05T00:00:00.000+0000",
    }),
  }),
  z.strictObject({
    advanceDays: z
      .number()
      .refine(Number.isFinite, { message: "must be a finite number of days" })
      .refine((days) => Math.abs(days) <= 3660, { message: "must move the clock by at most 3660 days" }),
  }),
]);

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send(badRequest(violationsFromZod(error)));
}

/** A union error from zod lists the alternatives' issues; say plainly what the body may be instead. */
function clockViolations(body: unknown) {
  const isObject = body !== null && typeof body === "object" && !Array.isArray(body);
  const keys = isObject ? Object.keys(body) : [];
  if (isObject && keys.length === 1 && (keys[0] === "now" || keys[0] === "advanceDays")) {
    const schema = keys[0] === "now" ? ClockChangeSchema.options[0] : ClockChangeSchema.options[1];
    const parsed = schema.safeParse(body);
    if (!parsed.success) return violationsFromZod(parsed.error);
  }
  return [{ property: "body", violation: 'must be {"now": "<date-time>"} or {"advanceDays": <number>}' }];
}

export default async function controlRoutes(app: FastifyInstance): Promise<void> {
  const { ledger, clock, faults, requests } = app.emulator;

  const clockState = () => {
    const now = clock.now();
    const window = retentionWindow(now);
    return {
      now: now.toISOString(),
      mode: clock.mode,
      retentionWindow: window,
      months: billingPeriodsFor(window, now).map((period) => ({
        ...period,
        finalizesOn: finalizationDate(period.month),
      })),
    };
  };

  app.get("/clock", async () => clockState());

  app.put("/clock", async (request, reply) => {
    const parsed = ClockChangeSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(badRequest(clockViolations(request.body)));
    if ("now" in parsed.data) {
      const instant = parseApiDateTime(parsed.data.now);
      if (instant) clock.set(instant);
    } else {
      clock.advanceDays(parsed.data.advanceDays);
    }
    request.log.info({ now: clock.now().toISOString(), mode: clock.mode }, "emulator clock changed");
    return clockState();
  });

  app.get("/faults", async () => ({ faults: faults.list() }));

  app.post("/faults", async (request, reply) => {
    const parsed = FaultSchema.safeParse(request.body);
    if (!parsed.success) return invalid(reply, parsed.error);
    const queued = faults.add(parsed.data);
    request.log.info({ fault: queued.kind, count: queued.count }, "fault queued");
    return reply.code(201).send({ queued, faults: faults.list() });
  });

  app.delete("/faults", async () => ({ cleared: faults.clear(), faults: faults.list() }));

  app.get("/requests", async () => ({ requests: requests.list() }));

  app.get<{ Params: { requestId: string } }>("/requests/:requestId", async (request, reply) => {
    const record = requests.find(request.params.requestId);
    if (!record) {
      return reply.code(404).send({
        errorCode: "E404",
        description: `No request ${request.params.requestId} in the emulator's recent requests.`,
        action: "List the recent requests with GET /_emulator/requests.",
        violations: [],
        resources: [],
      });
    }
    return record;
  });

  app.get("/accounts", async () => ({
    accounts: ledger.accounts.map((account) => ({
      key: account.key,
      name: account.name,
      parentKey: account.parent === undefined ? null : (ledger.accounts[account.parent]?.key ?? null),
      currency: account.currency,
    })),
    apiKeys: Object.entries(DEMO_KEYS).map(([name, key]) => ({
      apiKey: name,
      description: key.description,
      scopes: key.scopes,
      accountKeys: (key.seesHierarchy ? ledger.hierarchyOf(key.account) : [key.account]).map(
        (index) => ledger.accounts[index]?.key
      ),
    })),
  }));
}
