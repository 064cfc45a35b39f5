import { MissingKeyError } from "./credentials";
import { errorLine, errorWords } from "./error-words";
import { RelayError, errorForStatus } from "./relay-client";
import { RunError, toRunFailure } from "./run-error";

describe("errorWords", () => {
  it("says a relay answer in its own words, pointing to Settings when the key or the Relay URL is at fault", () => {
    expect(errorWords(errorForStatus(401, undefined))).toEqual({
      title: "Infobip did not accept the API key.",
      body: "Check the key in Settings, and that it has the billing:usage:view scope.",
      next: "open-settings",
    });
    expect(errorWords(new RelayError("unreachable", "The relay could not be reached.", "Check it.")).next).toBe(
      "open-settings"
    );
    expect(errorWords(errorForStatus(429, undefined, 5))).toEqual({
      title: "Too many requests in a short time.",
      body: "Wait about 5 seconds and try again.",
    });
  });

  it("says a missing key with Settings as the next step", () => {
    expect(errorWords(new MissingKeyError())).toEqual({
      title: "No Infobip API key is set.",
      body: "Enter your API key in Settings.",
      next: "open-settings",
    });
  });

  it("says the run's own errors without sending anyone to Settings", () => {
    const written = new RunError("write-failed", "The table is gone.", "Run the query again.");
    expect(errorWords(written)).toEqual({ title: "The table is gone.", body: "Run the query again." });
  });

  it("names what could not be done for any other error, with its message and what to try", () => {
    expect(errorWords(new Error("Excel hit an internal error."), "The PivotTable could not be created")).toEqual({
      title: "The PivotTable could not be created: Excel hit an internal error.",
      body: "Try again; if it keeps happening, report it.",
    });
    expect(errorLine("boom")).toBe("Something went wrong: boom Try again; if it keeps happening, report it.");
  });

  it("words a fault of the pane the same way when a run meets it", () => {
    const failure = toRunFailure(new TypeError("x is undefined"));
    expect(failure).toBeInstanceOf(RunError);
    expect(errorWords(failure)).toEqual(errorWords(new TypeError("x is undefined")));
  });
});
