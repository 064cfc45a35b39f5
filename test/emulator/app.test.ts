/**
 * `buildEmulator` assembles the whole emulator without listening (as the relay's `buildRelay` does): its
 * state is `app.emulator` from the start; once listening (as `startEmulator` does it, through the server
 * kit) the same plugins and routes answer over HTTP; closing the app closes callback delivery too.
 */
import { buildEmulator } from "../../src/emulator";
import { listen } from "../../src/server-kit";
import { MID_MARCH, monthQuery } from "./helper";

test("builds without listening; once listening, Infobip's path, the controls and the not-found handler answer", async () => {
  const app = await buildEmulator({ now: MID_MARCH, callbackDelayMs: 60_000 });
  try {
    expect(app.server.listening).toBe(false);
    expect(app.emulator.clock.now()).toEqual(MID_MARCH);
    expect(app.emulator.requests.list()).toEqual([]);

    const { url } = await listen(app, { port: 0, host: "127.0.0.1" });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });

    const accepted = await fetch(`${url}/billing/1/usage/query`, {
      method: "POST",
      headers: { authorization: "App demo-key", "content-type": "application/json" },
      body: JSON.stringify({
        callbackUrl: "http://127.0.0.1:9/callbacks/unused",
        request: monthQuery(["COUNTRY_CODE"]),
      }),
    });
    expect(accepted.status).toBe(201);
    const { requestId } = (await accepted.json()) as { requestId: string };
    expect(app.emulator.requests.find(requestId)).toMatchObject({ principal: "demo-key", httpStatus: 201 });
    expect(app.emulatorCallbacks.pending).toBe(1);

    const clock = await fetch(`${url}/_emulator/clock`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceDays: 1 }),
    });
    expect(((await clock.json()) as { now: string }).now).toBe("2026-03-16T12:00:00.000Z");
    expect(app.emulator.clock.now().toISOString()).toBe("2026-03-16T12:00:00.000Z");

    const missing = await fetch(`${url}/_emulator/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errorCode: string }).errorCode).toBe("E404");
  } finally {
    await app.close();
  }
  expect(app.emulatorCallbacks.pending).toBe(0);
  expect(app.emulatorCallbacks.openHandles).toEqual({ timers: 0, requests: 0, sockets: 0 });
  expect(app.emulator.requests.list()[0]?.delivery.state).toBe("cancelled");
});
