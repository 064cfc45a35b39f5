/**
 * axe-core (Deque's accessibility rules engine) run inside the page as it stands, with every rule it enables
 * by default (WCAG A/AA and best practices).
 */
import type { Page } from "playwright-core";
import { z } from "zod";
import { animationsSettled } from "./keyboard";

const AXE_SCRIPT = require.resolve("axe-core/axe.min.js");

/**
 * Left out of every check: Tabster's focus sentinels (`<i data-tabster-dummy tabindex="0" aria-hidden="true">`),
 * which Fluent's TabList inserts around its tabs to steer Tab and the arrow keys. They are focusable and hidden on
 * purpose (they pass the focus on at once and must not be read out), so axe's aria-hidden-focus rule reports
 * them; Fluent and Tabster list it as a known false positive (microsoft/tabster#288, microsoft/fluentui#25133).
 * Leaving out these empty elements (not the rule) keeps aria-hidden-focus, and every other rule, on the rest.
 */
const EXCLUDED = "[data-tabster-dummy]";

const SERIOUS = ["serious", "critical"];

/** The part of axe's results read here. */
const AxeViolationsSchema = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullish(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()) })),
    })
  ),
});

/**
 * Runs axe on the page (injecting it once per document) after animations have settled, since a panel fading
 * in reads as low contrast; returns each serious or critical violation as "rule (impact): help — targets".
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await animationsSettled(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  const results = AxeViolationsSchema.parse(
    await page.evaluate(
      (excluded) =>
        (window as unknown as { axe: { run(context: unknown): Promise<unknown> } }).axe.run({ exclude: [[excluded]] }),
      EXCLUDED
    )
  );
  return results.violations
    .filter((violation) => SERIOUS.includes(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ` +
        violation.nodes.map((node) => JSON.stringify(node.target)).join(", ")
    );
}
