/**
 * Driving the pane from the keyboard alone, and checking that the focus can be seen. Controls are still found
 * by role and accessible name; the keyboard only moves the focus to them, as a person without a mouse does.
 */
import type { ElementHandle, Locator, Page } from "playwright-core";

/** Role or tag and accessible name of whatever has the focus, for failure messages. */
export function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "nothing (the page body)";
    const labelled = (element as HTMLInputElement).labels?.[0]?.textContent;
    const name = element.getAttribute("aria-label") ?? labelled ?? element.textContent ?? "";
    return `${element.getAttribute("role") ?? element.tagName.toLowerCase()} "${name.trim().slice(0, 60)}"`;
  });
}

export function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement);
}

/**
 * Presses `key` (Tab, Shift+Tab, an arrow…) until `target` has the focus and returns how many presses that
 * took; fails after `maxPresses`, saying where the focus was left.
 */
export async function pressUntilFocused(page: Page, target: Locator, key = "Tab", maxPresses = 60): Promise<number> {
  for (let presses = 0; presses <= maxPresses; presses++) {
    if (await isFocused(target)) return presses;
    if (presses < maxPresses) await page.keyboard.press(key);
  }
  throw new Error(
    `${maxPresses} presses of ${key} did not reach ${target}; the focus is on ${await focusedDescription(page)}`
  );
}

/** Waits until no CSS transition or animation runs (focus underlines grow, the filters panel fades in). */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== "running"));
}

/**
 * The focus indicators drawn on `element` and its two nearest ancestors (Fluent draws them on a control's root,
 * or on its ::after): a non-transparent outline, a box-shadow ring with a spread, or a pseudo-element with a
 * border or a painted background that is not scaled away. Empty when nothing marks the element.
 */
function focusIndicators(element: Element): string[] {
  // No named inner functions: tsx (scripts) would wrap them in a helper the page lacks.
  const transparent = /^transparent$|rgba\([^)]*,\s*0\)$/;
  const found: string[] = [];
  let node: Element | null = element;
  for (let depth = 0; depth < 3 && node; depth++, node = node.parentElement) {
    const own = getComputedStyle(node);
    if (own.opacity === "0" || own.visibility === "hidden") continue;
    const where = `${node.className.toString().split(" ")[0] || node.tagName.toLowerCase()}`;
    if (own.outlineStyle !== "none" && parseFloat(own.outlineWidth) > 0 && !transparent.test(own.outlineColor)) {
      found.push(`${where} outline ${own.outlineWidth} ${own.outlineColor}`);
    }
    // Each shadow: a colour then lengths; a ring is one whose fourth length (the spread) is positive.
    for (const shadow of own.boxShadow === "none" ? [] : own.boxShadow.split(/,(?![^(]*\))/)) {
      const color = /rgba?\([^)]*\)/.exec(shadow)?.[0] ?? "";
      const spread = parseFloat(shadow.replace(color, "").trim().split(/\s+/)[3] ?? "0");
      if (spread > 0 && !transparent.test(color)) found.push(`${where} box-shadow ring ${spread}px ${color}`);
    }
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(node, pseudo);
      if (style.content === "none" || style.display === "none") continue;
      const matrix = /^matrix\(([^,]+),[^,]+,[^,]+,([^,]+),/.exec(style.transform);
      if (matrix && (parseFloat(matrix[1] ?? "1") === 0 || parseFloat(matrix[2] ?? "1") === 0)) continue;
      const side = ["top", "right", "bottom", "left"].find(
        (edge) =>
          style.getPropertyValue(`border-${edge}-style`) !== "none" &&
          parseFloat(style.getPropertyValue(`border-${edge}-width`)) > 0 &&
          !transparent.test(style.getPropertyValue(`border-${edge}-color`))
      );
      if (side) found.push(`${where}${pseudo} border-${side} ${style.getPropertyValue(`border-${side}-color`)}`);
      // A painted bar (Fluent's Select draws its underline as a gradient).
      const painted = style.backgroundImage !== "none" || !transparent.test(style.backgroundColor);
      if (painted && parseFloat(style.width) > 0 && parseFloat(style.height) > 0) {
        found.push(`${where}${pseudo} background ${style.width}×${style.height}`);
      }
    }
  }
  return found;
}

export interface VisibleFocus {
  element: ElementHandle<Element>;
  indicators: string[];
}

/**
 * Checks that `target` has the focus, matches :focus-visible and carries a visible focus indicator (once any
 * transition has run); returns the indicators, so the caller can check which go when the focus moves on.
 */
export async function expectVisibleFocus(page: Page, target: Locator): Promise<VisibleFocus> {
  await animationsSettled(page);
  const element = await target.elementHandle();
  if (!element) throw new Error(`${target} is not in the page`);
  const state = await element.evaluate((node) => ({
    focused: node === document.activeElement,
    focusVisible: node.matches(":focus-visible"),
  }));
  if (!state.focused) throw new Error(`${target} does not have the focus: ${await focusedDescription(page)} has`);
  if (!state.focusVisible) throw new Error(`${target} has the focus but does not match :focus-visible`);
  const indicators = await element.evaluate(focusIndicators);
  if (indicators.length === 0) throw new Error(`${target} has the focus but nothing on the page shows it`);
  return { element, indicators };
}

/**
 * Which of the indicators `focus` found are gone now that the focus has moved on: the ones the focus drew (a
 * selected tab, say, keeps its selection bar). Empty means nothing told the focused state apart.
 */
export async function indicatorsGone(page: Page, focus: VisibleFocus): Promise<string[]> {
  await animationsSettled(page);
  const now = await focus.element.evaluate(focusIndicators);
  return focus.indicators.filter((indicator) => !now.includes(indicator));
}
