/**
 * Every example in Infobip's OpenAPI document, parsed with our schemas.
 *
 * The examples are found by walking the whole document, not listed by hand, so an example added to a
 * new version of the file is checked too; an example this test does not know how to check fails it.
 * - media-type examples (request bodies, responses, webhooks) are checked by the `$ref`'d schema and the
 *   media type (`application/json QueryBillingUsageRequest`, `application/xml ApiError`, …);
 * - examples on component schemas and their properties are checked with the matching part of our zod
 *   schema, found by walking `properties` / `items` through the zod shapes.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import {
  AGGREGATE_DIMENSIONS,
  API_ERRORS,
  AggregateDataResponseSchema,
  AggregateDimensionSchema,
  ApiErrorResourceSchema,
  ApiErrorSchema,
  ApiErrorViolationSchema,
  BillingPeriodSchema,
  BillingUsageDataFilterSchema,
  BillingUsageMetadataSchema,
  BillingUsageQueryOptionsSchema,
  BillingUsageQuerySchema,
  BillingUsageResultSchema,
  CATEGORIES,
  COLUMN_DATA_TYPES,
  ColumnDataTypeSchema,
  ColumnInfoSchema,
  DIRECTIONS,
  DateIntervalSchema,
  DateTimeIntervalSchema,
  DirectionSchema,
  FILTER_KEYS,
  PlatformSchema,
  QueryAggregateDataResponseSchema,
  QueryBillingUsageRequestSchema,
  SUBCATEGORIES,
  TRAFFIC_TYPE_SUGGESTIONS,
  alignToGranularity,
  apiError,
  badRequest,
  granularityOf,
  monthsCovered,
  predictColumns,
  resultInconsistencies,
  toDateTimeInterval,
  typeRow,
  validateQueryRequest,
  type ApiError,
} from "./index";

const SPEC_PATH = path.resolve(__dirname, "../../..", "shared", "reference", "infobip-billing-usage-openapi.json");
/** Inside the retention window of every request example (2026-03-01 to 2026-04-01). */
const CLOCK = new Date("2026-04-10T00:00:00.000Z");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(root: Json, ...keys: string[]): Json {
  let node: Json = root;
  for (const key of keys) {
    if (!isObject(node) || !(key in node)) throw new Error(`the document has no ${keys.join(" › ")}`);
    node = node[key] as Json;
  }
  return node;
}

function loadSpec(): JsonObject {
  if (!fs.existsSync(SPEC_PATH)) throw new Error(`the OpenAPI document is missing at ${SPEC_PATH}`);
  const parsed = JSON.parse(fs.readFileSync(SPEC_PATH, "utf8")) as Json;
  if (!isObject(parsed)) throw new Error("the OpenAPI document is not a JSON object");
  return parsed;
}

const spec = loadSpec();

/**
 * A component's name from its key or `$ref`, without Infobip's hash prefix:
 * `99c5….DateInterval` and `#/components/schemas/99c5….DateInterval` → `DateInterval`.
 */
function componentName(keyOrRef: string): string {
  const key = keyOrRef.replace(/^#\/components\/schemas\//, "");
  return key.slice(key.lastIndexOf(".") + 1);
}

interface MediaExample {
  kind: "media";
  location: string;
  mediaType: string;
  /** The `$ref`'d component, or `inline` when the media type has no `$ref` schema. */
  schemaName: string;
  name: string;
  value: Json;
}
interface SchemaExample {
  kind: "schema";
  location: string;
  /** `DateInterval.sentSince`, `BillingUsageDataFilter.accountKeys[]`, or `inline …` outside components. */
  schemaKey: string;
  value: Json;
}
type FoundExample = MediaExample | SchemaExample;

/** The schema key of a schema node's path: `components › schemas › X › properties › p › items` → `X.p[]`. */
function schemaKeyOf(location: string[]): string {
  if (location[0] !== "components" || location[1] !== "schemas" || location[2] === undefined) {
    return `inline ${location.join(" › ")}`;
  }
  let key = componentName(location[2]);
  for (let i = 3; i < location.length; i += 1) {
    const step = location[i];
    if (step === "properties" && location[i + 1] !== undefined) {
      key += `.${location[i + 1]}`;
      i += 1;
    } else if (step === "items") {
      key += "[]";
    } else {
      return `unsupported ${location.join(" › ")}`;
    }
  }
  return key;
}

/** Walks the document and returns every example in it, plus the names of `components/examples` used. */
function findExamples(document: JsonObject): { examples: FoundExample[]; registry: string[]; referenced: string[] } {
  const examples: FoundExample[] = [];
  const referenced: string[] = [];
  const registryNode = isObject(document.components) ? document.components.examples : undefined;
  const registry = isObject(registryNode) ? Object.keys(registryNode) : [];

  const resolveExample = (example: Json, where: string): Json => {
    if (!isObject(example)) throw new Error(`${where} is not an Example Object`);
    const ref = example.$ref;
    if (typeof ref === "string") {
      const name = ref.replace(/^#\/components\/examples\//, "");
      if (name === ref || !isObject(registryNode) || !(name in registryNode))
        throw new Error(`${where}: unknown $ref ${ref}`);
      referenced.push(name);
      return resolveExample(registryNode[name] as Json, ref);
    }
    if (!("value" in example)) throw new Error(`${where} has no inline value (externalValue is not checked)`);
    return example.value as Json;
  };

  const walk = (node: Json, location: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => walk(child, [...location, String(index)]));
      return;
    }
    if (!isObject(node)) return;
    if (location.join("/") === "components/examples") return; // the registry: checked where referenced
    const parentKey = location[location.length - 1];
    // A `properties` map names properties (one may be called "example"); `components.examples` is the registry.
    const isPropertyMap = parentKey === "properties" || location.join("/") === "components";
    const isMediaType = location[location.length - 2] === "content";
    if (!isPropertyMap) {
      const where = location.join(" › ");
      if (isMediaType) {
        const ref = isObject(node.schema) ? node.schema.$ref : undefined;
        const schemaName = typeof ref === "string" ? componentName(ref) : "inline";
        const mediaType = parentKey ?? "";
        if ("example" in node) {
          examples.push({
            kind: "media",
            location: `${where} › example`,
            mediaType,
            schemaName,
            name: "example",
            value: node.example as Json,
          });
        }
        if (isObject(node.examples)) {
          for (const [name, example] of Object.entries(node.examples)) {
            const value = resolveExample(example, `${where} › examples › ${name}`);
            examples.push({
              kind: "media",
              location: `${where} › examples › ${name}`,
              mediaType,
              schemaName,
              name,
              value,
            });
          }
        }
      } else {
        const schemaKey = schemaKeyOf(location);
        if ("example" in node)
          examples.push({ kind: "schema", location: `${where} › example`, schemaKey, value: node.example as Json });
        if (Array.isArray(node.examples)) {
          node.examples.forEach((value, index) =>
            examples.push({ kind: "schema", location: `${where} › examples › ${index}`, schemaKey, value })
          );
        } else if ("examples" in node) {
          throw new Error(`${where} has an examples property that is neither a map nor a list`);
        }
      }
    }
    for (const [key, child] of Object.entries(node)) {
      // Example values are data, not document structure: never look for examples inside them.
      if (!isPropertyMap && (key === "example" || key === "examples")) continue;
      walk(child, [...location, key]);
    }
  };

  walk(document, []);
  return { examples, registry, referenced };
}

const found = findExamples(spec);

/** Our zod schema for each component of the document, by the component's name. */
const COMPONENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  QueryBillingUsageRequest: QueryBillingUsageRequestSchema,
  QueryBillingUsageApiRequest: BillingUsageQuerySchema,
  BillingUsageDataFilter: BillingUsageDataFilterSchema,
  DateInterval: DateIntervalSchema,
  Platform: PlatformSchema,
  Direction: DirectionSchema,
  BillingUsageAggregate: AggregateDimensionSchema,
  BillingUsageQueryOptions: BillingUsageQueryOptionsSchema,
  QueryAggregateDataResponse: QueryAggregateDataResponseSchema,
  BillingUsageResult: BillingUsageResultSchema,
  QueryAggregateDataStatus: BillingUsageResultSchema.shape.status,
  AggregateDataResponse: AggregateDataResponseSchema,
  DateTimeInterval: DateTimeIntervalSchema,
  ColumnInfo: ColumnInfoSchema,
  ColumnDataType: ColumnDataTypeSchema,
  BillingUsageMetadata: BillingUsageMetadataSchema,
  BillingUsageMetadataPeriod: BillingPeriodSchema,
  clientRequestedPeriod: BillingUsageMetadataSchema.shape.clientRequestedPeriod,
  ApiError: ApiErrorSchema,
  ApiErrorViolation: ApiErrorViolationSchema,
  ApiErrorResource: ApiErrorResourceSchema,
};

const unwrapOptional = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;

/** Follows `DateInterval.sentSince` or `BillingUsageDataFilter.accountKeys[]` through the zod shapes. */
function zodSchemaFor(schemaKey: string): z.ZodType {
  const [component = "", ...steps] = schemaKey.split(/(?=\.)|(?=\[\])/);
  let schema = COMPONENT_SCHEMAS[component];
  if (!schema) throw new Error(`no schema of ours for the example on ${schemaKey}`);
  for (const step of steps) {
    const inner = unwrapOptional(schema);
    if (step === "[]") {
      if (!(inner instanceof z.ZodArray)) throw new Error(`${schemaKey}: ${step} is not a list in our schema`);
      schema = inner.element as z.ZodType;
    } else {
      const property = step.slice(1);
      const next = inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>)[property] : undefined;
      if (!next) throw new Error(`${schemaKey}: our schema has no property ${property}`);
      schema = next;
    }
  }
  return schema;
}

/** The catalogue body with this error code; the test fails when there is none. */
function catalogued(errorCode: string): ApiError {
  const body = Object.values(API_ERRORS).find((e) => e.errorCode === errorCode);
  if (!body) throw new Error(`API_ERRORS has no body for ${errorCode}`);
  return body;
}

/** Parses with the schema, failing with the zod issues, and checks nothing was dropped on the way. */
function parseExactly<T>(schema: z.ZodType<T>, value: Json): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`does not parse: ${JSON.stringify(parsed.error.issues)}`);
  expect(parsed.data).toEqual(value);
  return parsed.data;
}

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** A reader for the small XML of the ApiError examples: elements and text, no attributes. */
function readXml(xml: string): XmlElement {
  const token = /<\?[^?]*\?>|<(\/?)([A-Za-z_][\w.-]*)\s*(\/?)>|([^<]+)/y;
  const root: XmlElement = { name: "#document", children: [], text: "" };
  const stack: XmlElement[] = [root];
  const decode = (text: string): string =>
    text.replace(
      /&(lt|gt|amp|quot|apos);/g,
      (_, entity: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[entity] ?? ""
    );
  while (token.lastIndex < xml.length) {
    const start = token.lastIndex;
    const match = token.exec(xml);
    if (!match) throw new Error(`unsupported XML at ${start}: ${xml.slice(start, start + 40)}`);
    const [, closing, name, selfClosing, text] = match;
    const current = stack[stack.length - 1] as XmlElement;
    if (text !== undefined) {
      current.text += decode(text);
    } else if (name !== undefined && closing === "/") {
      if (current.name !== name) throw new Error(`</${name}> closes <${current.name}>`);
      stack.pop();
    } else if (name !== undefined) {
      const element: XmlElement = { name, children: [], text: "" };
      current.children.push(element);
      if (selfClosing !== "/") stack.push(element);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error("the XML is not one closed element");
  return root.children[0] as XmlElement;
}

/** The ApiError an XML example describes, refusing elements that the JSON shape does not have. */
function apiErrorFromXml(xml: string): Json {
  const root = readXml(xml);
  expect(root.name).toBe("ApiError");
  const leaf = (element: XmlElement, name: string): Json => {
    const child = element.children.find((c) => c.name === name);
    return child === undefined ? null : child.text;
  };
  const list = (name: string): XmlElement[] => root.children.find((c) => c.name === name)?.children ?? [];
  expect(root.children.map((c) => c.name).sort()).toEqual([
    "action",
    "description",
    "errorCode",
    "resources",
    "violations",
  ]);
  return {
    errorCode: leaf(root, "errorCode"),
    description: leaf(root, "description"),
    action: leaf(root, "action"),
    violations: list("violations").map((v) => ({ property: leaf(v, "property"), violation: leaf(v, "violation") })),
    resources: list("resources").map((r) => {
      expect(r.name).toBe("resource");
      return { name: leaf(r, "name"), url: leaf(r, "url") };
    }),
  };
}

/** How each kind of media-type example is checked, by `mediaType schemaName`. */
const MEDIA_CHECKS: Readonly<Record<string, (value: Json) => void>> = {
  "application/json QueryBillingUsageRequest": (value) => {
    parseExactly(QueryBillingUsageRequestSchema, value);
    expect(validateQueryRequest(value, CLOCK)).toEqual({ ok: true, value });
  },
  "application/json QueryAggregateDataResponse": (value) => {
    parseExactly(QueryAggregateDataResponseSchema, value);
  },
  "application/json ApiError": (value) => {
    const body = parseExactly(ApiErrorSchema, value);
    if (body.errorCode === "E400") {
      const violations = body.violations.map((v) => ({ property: v.property ?? "", violation: v.violation ?? "" }));
      expect(badRequest(violations)).toStrictEqual(value);
    } else {
      expect(catalogued(body.errorCode)).toStrictEqual(value);
    }
  },
  "application/xml ApiError": (value) => {
    if (typeof value !== "string") throw new Error("an XML example must be text");
    const fromXml = apiErrorFromXml(value);
    const body = parseExactly(ApiErrorSchema, fromXml);
    expect(catalogued(body.errorCode)).toStrictEqual(fromXml);
  },
  "application/json BillingUsageResult": (value) => {
    const result = parseExactly(BillingUsageResultSchema, value);
    expect(resultInconsistencies(result)).toEqual([]);
    if (result.status === "FAILED") expect(result.failureMessage).toEqual(expect.any(String));
  },
};

/** Examples on schemas: parsed with the matching part of our schema. Item examples are a quirk, see below. */
function checkSchemaExample(example: SchemaExample): void {
  const schema = zodSchemaFor(example.schemaKey);
  if (example.schemaKey.endsWith("[]") && typeof example.value === "string" && example.value.startsWith("[")) {
    // Infobip writes the example of a list's items as the JSON text of the whole list
    // (`items.example: "[\"US\",\"DE\",\"IN\"]"`): decode it and check each item.
    const items = JSON.parse(example.value) as Json;
    if (!Array.isArray(items)) throw new Error(`${example.location} is neither an item nor a JSON list`);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) parseExactly(schema, item);
    return;
  }
  parseExactly(schema, example.value);
}

describe("the OpenAPI document", () => {
  it(`is found at ${SPEC_PATH} and is version 3.x`, () => {
    expect(String(spec.openapi)).toMatch(/^3\./);
  });

  it("has the examples this test is known to cover (the walk finds them all)", () => {
    const media = found.examples.filter((e): e is MediaExample => e.kind === "media");
    const count = (key: string): number => media.filter((e) => `${e.mediaType} ${e.schemaName}` === key).length;
    expect(count("application/json QueryBillingUsageRequest")).toBe(2);
    expect(count("application/json QueryAggregateDataResponse")).toBe(1);
    expect(count("application/json BillingUsageResult")).toBe(3);
    expect(count("application/json ApiError")).toBe(5);
    expect(count("application/xml ApiError")).toBe(4);
    expect(found.examples.filter((e) => e.kind === "schema").length).toBeGreaterThanOrEqual(20);
  });

  it("uses every entry of components/examples somewhere", () => {
    expect(found.registry.filter((name) => !found.referenced.includes(name))).toEqual([]);
  });

  it("names only components that we have a schema for", () => {
    const names = Object.keys(at(spec, "components", "schemas") as JsonObject).map(componentName);
    expect(names.sort()).toEqual(Object.keys(COMPONENT_SCHEMAS).sort());
  });
});

/** Checks one example; throws (fails) for an example of a kind it does not know. */
function checkExample(example: FoundExample): void {
  if (example.kind === "schema") {
    checkSchemaExample(example);
    return;
  }
  const check = MEDIA_CHECKS[`${example.mediaType} ${example.schemaName}`];
  if (!check) throw new Error(`no check for a ${example.mediaType} example of ${example.schemaName}`);
  check(example.value);
}

describe("every example in the document parses with our schemas", () => {
  it.each(found.examples.map((example) => [example.location, example] as const))("%s", (_location, example) => {
    checkExample(example);
  });
});

describe("the walk itself, on a small made-up document", () => {
  const madeUp: JsonObject = {
    paths: {
      "/x": {
        get: {
          parameters: [{ name: "since", in: "query", schema: { type: "string" }, example: "2026-03-01" }],
          responses: {
            "200": {
              content: {
                "application/json": {
                  schema: { type: "object" },
                  examples: { inline: { value: { example: "data, not an example" } } },
                },
                "text/csv": {
                  schema: { $ref: "#/components/schemas/ApiError" },
                  examples: { shared: { $ref: "#/components/examples/Shared" } },
                },
              },
            },
          },
        },
      },
    },
    components: {
      examples: { Shared: { value: "a,b" }, Unused: { value: 1 } },
      schemas: {
        "abc.DateInterval": { properties: { sentSince: { example: "2026-02-30" }, example: { example: 1 } } },
        "abc.Unknown": { properties: { x: { example: 1 } } },
      },
    },
  };
  const walked = findExamples(madeUp);
  const byLocation = (fragment: string): FoundExample => {
    const example = walked.examples.find((e) => e.location.includes(fragment));
    if (!example) throw new Error(`no example at ${fragment}`);
    return example;
  };

  it("finds parameter, media, referenced and property examples, and not the data inside example values", () => {
    expect(
      walked.examples.map((e) => (e.kind === "media" ? `${e.mediaType} ${e.schemaName}` : e.schemaKey)).sort()
    ).toEqual(
      [
        "inline paths › /x › get › parameters › 0",
        "application/json inline",
        "text/csv ApiError",
        "DateInterval.sentSince",
        "DateInterval.example",
        "Unknown.x",
      ].sort()
    );
    expect(byLocation("shared").kind === "media" && byLocation("shared").value).toBe("a,b");
    expect(walked.registry.filter((name) => !walked.referenced.includes(name))).toEqual(["Unused"]);
  });

  it("fails on every example it does not know how to check, or that does not parse", () => {
    expect(() => checkExample(byLocation("parameters"))).toThrow(/no schema of ours/);
    expect(() => checkExample(byLocation("inline"))).toThrow(/no check for a application\/json example of inline/);
    expect(() => checkExample(byLocation("shared"))).toThrow(/no check for a text\/csv example of ApiError/);
    expect(() => checkExample(byLocation("Unknown"))).toThrow(/no schema of ours for the example on Unknown.x/);
    expect(() => checkExample(byLocation("DateInterval › properties › example"))).toThrow(
      /our schema has no property example/
    );
    expect(() => checkExample(byLocation("sentSince"))).toThrow(/does not parse/);
  });
});

describe("the standard error bodies are Infobip's, word for word", () => {
  it.each([
    ["ApiError401", "unauthorized"],
    ["ApiError403", "forbidden"],
    ["ApiError429", "tooManyRequests"],
    ["ApiError500", "internal"],
  ] as const)("%s is API_ERRORS.%s and what apiError() builds", (response, kind) => {
    const example = at(spec, "components", "responses", response, "content", "application/json", "example");
    expect(API_ERRORS[kind]).toStrictEqual(example);
    expect(JSON.stringify(apiError(kind))).toBe(JSON.stringify(example));
  });

  it("the 400 example is badRequest() with its violation", () => {
    const example = at(
      spec,
      "paths",
      "/billing/1/usage/query",
      "post",
      "responses",
      "400",
      "content",
      "application/json",
      "examples",
      "Bad request",
      "value"
    );
    expect(JSON.stringify(badRequest([{ property: "property.path", violation: "Violation message." }]))).toBe(
      JSON.stringify(example)
    );
  });

  it("every status of the endpoint has its body in the catalogue", () => {
    const statuses = Object.keys(at(spec, "paths", "/billing/1/usage/query", "post", "responses") as JsonObject).filter(
      (s) => s >= "400"
    );
    expect(statuses.map((s) => catalogued(`E${s}`).errorCode)).toEqual(statuses.map((s) => `E${s}`));
  });
});

describe("the catalog matches the document's enums and filters", () => {
  const schemas = at(spec, "components", "schemas") as JsonObject;
  const component = (name: string): JsonObject => {
    const key = Object.keys(schemas).find((k) => componentName(k) === name);
    const node = key === undefined ? undefined : schemas[key];
    if (!isObject(node)) throw new Error(`no component ${name}`);
    return node;
  };
  const filterProperty = (name: string): Json => at(component("BillingUsageDataFilter"), "properties", name);

  it.each([
    ["BillingUsageAggregate", AGGREGATE_DIMENSIONS],
    ["Direction", DIRECTIONS],
    ["ColumnDataType", COLUMN_DATA_TYPES],
    ["QueryAggregateDataStatus", BillingUsageResultSchema.shape.status.options],
  ] as const)("%s", (name, values) => {
    expect(at(component(name), "enum")).toEqual([...values]);
  });

  it("categories and subcategories, item by item", () => {
    expect(at(filterProperty("categories") as JsonObject, "items", "enum")).toEqual([...CATEGORIES]);
    expect(at(filterProperty("subCategories") as JsonObject, "items", "enum")).toEqual([...SUBCATEGORIES]);
  });

  it("the filters", () => {
    const properties = Object.keys(at(component("BillingUsageDataFilter"), "properties") as JsonObject);
    expect(properties.sort()).toEqual(["dateInterval", ...FILTER_KEYS].sort());
    expect(Object.keys(BillingUsageDataFilterSchema.shape).sort()).toEqual(properties.sort());
  });
});

describe("each result example answers its request example", () => {
  const requests = at(
    spec,
    "paths",
    "/billing/1/usage/query",
    "post",
    "requestBody",
    "content",
    "application/json",
    "examples"
  ) as JsonObject;
  const results = at(
    spec,
    "webhooks",
    "receive-billing-usage-result",
    "post",
    "requestBody",
    "content",
    "application/json",
    "examples"
  ) as JsonObject;
  const successes = Object.entries(results).filter(
    ([, example]) => isObject(example) && isObject(example.value) && example.value.status === "SUCCESS"
  );

  it("there are successful results to compare", () => {
    expect(successes.length).toBeGreaterThanOrEqual(2);
  });

  it.each(successes)("%s", (name, example) => {
    const requestName = name.replace(/result$/, "request");
    const request = QueryBillingUsageRequestSchema.parse(at(requests, requestName, "value")).request;
    const result = BillingUsageResultSchema.parse(at(example, "value"));
    const interval = request.filterBy.dateInterval;
    expect(result.response?.columns).toEqual(predictColumns(request.aggregateBy));
    expect(result.metadata?.clientRequestedPeriod).toEqual(toDateTimeInterval(interval));
    expect(result.response?.requestedPeriod).toEqual(
      toDateTimeInterval(alignToGranularity(interval, granularityOf(request.aggregateBy)))
    );
    expect(result.metadata?.billingPeriods.map((p) => p.month)).toEqual(monthsCovered(interval));
    for (const row of result.response?.rows ?? []) {
      const typed = typeRow(row, result.response?.columns ?? []);
      expect(typed.slice(-4, -1).every((cell) => typeof cell === "number")).toBe(true);
    }
  });
});

/**
 * Every value an example gives to a field named `key` (`trafficTypes` filter lists) or to a result column
 * named `column` (cells of its rows), wherever in the example it sits.
 */
function exampleValues(example: FoundExample, key: string, column: string): string[] {
  const values: string[] = [];
  const visit = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) return;
    const listed = node[key];
    if (Array.isArray(listed)) for (const item of listed) if (typeof item === "string") values.push(item);
    const { columns, rows } = node;
    if (Array.isArray(columns) && Array.isArray(rows)) {
      const index = columns.findIndex((c) => isObject(c) && c.columnName === column);
      if (index >= 0)
        for (const row of rows) if (Array.isArray(row) && typeof row[index] === "string") values.push(row[index]);
    }
    Object.values(node).forEach(visit);
  };
  if (example.kind === "schema" && example.schemaKey.endsWith(`.${key}[]`) && typeof example.value === "string") {
    // The items' example is the JSON text of the whole list (see checkSchemaExample).
    visit({ [key]: JSON.parse(example.value) as Json });
  } else if (example.kind === "schema" && example.schemaKey.endsWith(`.${key}`)) {
    visit({ [key]: example.value });
  } else {
    visit(example.value);
  }
  return values;
}

describe("the catalog's suggestions", () => {
  const trafficTypes = new Set(
    found.examples.flatMap((example) => exampleValues(example, "trafficTypes", "TRAFFIC_TYPE"))
  );

  it("finds the traffic types of Infobip's examples (filter lists and TRAFFIC_TYPE cells)", () => {
    expect(trafficTypes.size).toBeGreaterThan(0);
  });

  // A filter on a value Infobip does not use silently returns fewer rows: only documented values are offered.
  it.each([...TRAFFIC_TYPE_SUGGESTIONS])("traffic type %s appears in Infobip's examples", (value) => {
    expect([...trafficTypes]).toContain(value);
  });
});
