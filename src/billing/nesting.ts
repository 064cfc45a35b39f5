/**
 * A bound on how deeply lists and objects nest in input, checked before any recursive work (zod's parse, the
 * unique-items rule's `JSON.stringify`): a body nested 100,000 levels deep would otherwise overflow the stack
 * and become a 500 instead of a 400. The walk is iterative, so it cannot overflow itself, and it stops at the
 * first value past the bound. A billing query nests 4 levels at most (request.filterBy.platforms[0].entityId),
 * so 32 leaves room for any envelope around it and refuses nothing legitimate.
 */

/** Deepest nesting of lists/objects accepted in a request body; the top-level value is depth 1. */
export const MAX_NESTING_DEPTH = 32;

/** Where the first too-deep value is: the path of the container at the bound, and the violation's words. */
export interface NestingProblem {
  path: PropertyKey[];
  violation: string;
}

/**
 * The first place where `input` nests lists or objects deeper than `maxDepth` (the top-level value counts as
 * depth 1 when it is a list or an object), or undefined when it does not.
 */
export function nestingProblem(input: unknown, maxDepth: number = MAX_NESTING_DEPTH): NestingProblem | undefined {
  const stack: Array<{ value: unknown; depth: number; path: PropertyKey[] }> = [{ value: input, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop() as { value: unknown; depth: number; path: PropertyKey[] };
    if (value === null || typeof value !== "object") continue;
    if (depth > maxDepth) {
      return {
        path,
        violation: `nests lists or objects more than ${maxDepth} levels deep; a billing query needs only a few`,
      };
    }
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(value)
      ? value.map((item, index): [PropertyKey, unknown] => [index, item])
      : Object.entries(value);
    // Pushed in reverse so the first offending item (in document order) is found first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as [PropertyKey, unknown];
      if (item !== null && typeof item === "object")
        stack.push({ value: item, depth: depth + 1, path: [...path, key] });
    }
  }
  return undefined;
}
