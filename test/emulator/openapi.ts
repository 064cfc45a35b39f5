/**
 * Infobip's OpenAPI document (the reference copy beside the repo) compiled with ajv, so tests check the
 * emulator's payloads against Infobip's own schemas rather than against our zod twins.
 *
 * One known quirk is handled explicitly (reference §9.3.7): the spec types each cell of
 * `AggregateDataResponse.rows` as `object`, while every example — and the description ("N/A" for a
 * missing metric) — has strings and numbers. Exactly that one node is replaced by
 * `{type: ["string", "number"]}`, after checking it still reads `type: "object"` (so an updated spec that
 * fixes or changes it makes this helper fail loudly instead of silently keeping the patch). Everything
 * else — required fields, enums, `date-time` formats, `int32` totals — is checked as published.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const repoRoot = path.resolve(__dirname, "..", "..");
export const OPENAPI_PATH = path.resolve(repoRoot, "..", "shared", "reference", "infobip-billing-usage-openapi.json");

type Json = Record<string, unknown>;

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where} is not an object`);
  return value as Json;
}

export function loadOpenApi(): Json {
  return asObject(JSON.parse(readFileSync(OPENAPI_PATH, "utf8")), "the OpenAPI document");
}

/** The full component name of a schema (Infobip prefixes most with a content hash). */
export function schemaName(components: Json, shortName: string): string {
  const names = Object.keys(components).filter((name) => name === shortName || name.endsWith(`.${shortName}`));
  if (names.length !== 1)
    throw new Error(`expected one schema named ${shortName}, found ${names.join(", ") || "none"}`);
  return names[0] ?? shortName;
}

export interface InfobipSchemas {
  validate(shortName: string, value: unknown): { valid: boolean; errors: string };
  /** The spec's own webhook examples, by name. */
  webhookExamples(): Record<string, unknown>;
}

function compile(patchRowCells: boolean): InfobipSchemas {
  const document = loadOpenApi();
  const components = structuredClone(
    asObject(asObject(document.components, "components").schemas, "components.schemas")
  );
  if (patchRowCells) {
    const response = asObject(components[schemaName(components, "AggregateDataResponse")], "AggregateDataResponse");
    const rows = asObject(asObject(response.properties, "AggregateDataResponse.properties").rows, "rows");
    const row = asObject(rows.items, "rows.items");
    const cell = asObject(row.items, "rows.items.items");
    if (cell.type !== "object") {
      throw new Error(
        `the spec's row cells are no longer typed "object" (now ${JSON.stringify(cell.type)}): revisit this patch`
      );
    }
    row.items = {
      type: ["string", "number"],
      description: "Patched: the spec says object; cells are strings and numbers.",
    };
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // OpenAPI's integer formats are not JSON-schema formats; the range checks matter, so keep them.
  ajv.addFormat("int32", {
    type: "number",
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: "infobip", components: { schemas: components } });
  const cache = new Map<string, ValidateFunction>();
  const validatorFor = (shortName: string): ValidateFunction => {
    const name = schemaName(components, shortName);
    let validate = cache.get(name);
    if (!validate) {
      validate = ajv.getSchema(`infobip#/components/schemas/${name}`);
      if (!validate) throw new Error(`cannot compile ${name}`);
      cache.set(name, validate);
    }
    return validate;
  };
  return {
    validate(shortName, value) {
      const validate = validatorFor(shortName);
      const valid = validate(value) === true;
      return { valid, errors: valid ? "" : ajv.errorsText(validate.errors, { separator: "\n" }) };
    },
    webhookExamples() {
      const webhooks = asObject(document.webhooks, "webhooks");
      const post = asObject(asObject(webhooks["receive-billing-usage-result"], "webhook").post, "webhook.post");
      const content = asObject(asObject(post.requestBody, "requestBody").content, "content");
      const examples = asObject(asObject(content["application/json"], "application/json").examples, "examples");
      return Object.fromEntries(
        Object.entries(examples).map(([name, example]) => [name, asObject(example, name).value])
      );
    },
  };
}

/** Infobip's schemas with the one documented patch (row cells). */
export const infobipSchemas = (): InfobipSchemas => compile(true);
/** Infobip's schemas exactly as published (used to show the row-cell quirk is real). */
export const unpatchedInfobipSchemas = (): InfobipSchemas => compile(false);
