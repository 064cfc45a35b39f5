/**
 * Callback delivery as `app.emulatorCallbacks`: the dispatcher (../callbacks.ts) with what it does written
 * into the request log, and closed with the instance — waiting callbacks are cancelled and those in flight
 * aborted, so no timer or socket outlives it.
 */
import fp from "fastify-plugin";
import { CallbackDispatcher, type DispatcherSettings } from "../callbacks";

export default fp<DispatcherSettings>(
  async (app, settings) => {
    const { requests } = app.emulator;
    const dispatcher = new CallbackDispatcher(settings, app.log, {
      state(requestId, state, built) {
        const record = requests.find(requestId);
        if (!record) return;
        record.delivery.state = state;
        if (built) {
          record.delivery.resultStatus = built.resultStatus;
          record.delivery.bytes = built.bytes;
          if (built.totalRows !== undefined) record.delivery.totalRows = built.totalRows;
        }
      },
      attempt(requestId, attempt) {
        requests.find(requestId)?.delivery.attempts.push(attempt);
      },
    });
    app.decorate("emulatorCallbacks", dispatcher);
    app.addHook("onClose", async () => {
      await dispatcher.close();
    });
  },
  { name: "emulator-callback-delivery", dependencies: ["emulator-state"] }
);
