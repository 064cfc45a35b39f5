import {
  DEFAULT_PAGE_ROWS,
  MAX_PAGE_ROWS,
  MAX_WAIT_SECONDS,
  QueryIdParamsSchema,
  QueryWaitQuerySchema,
  relayApi,
  relayPath,
  RowsPageQuerySchema,
} from "./index";

function messages(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  return result.error?.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) ?? [];
}

describe("query strings", () => {
  it(`hold a long-poll at most ${MAX_WAIT_SECONDS} seconds, 0 when not asked`, () => {
    expect(QueryWaitQuerySchema.parse({})).toEqual({ wait: 0 });
    expect(QueryWaitQuerySchema.parse({ wait: String(MAX_WAIT_SECONDS) })).toEqual({ wait: MAX_WAIT_SECONDS });
    expect(messages(QueryWaitQuerySchema.safeParse({ wait: String(MAX_WAIT_SECONDS + 1) }))).toEqual([
      `wait must be a whole number from 0 to ${MAX_WAIT_SECONDS}`,
    ]);
  });

  it(`page at most ${MAX_PAGE_ROWS} rows, ${DEFAULT_PAGE_ROWS} by default, from offset 0`, () => {
    expect(RowsPageQuerySchema.parse({})).toEqual({ offset: 0, limit: DEFAULT_PAGE_ROWS });
    expect(RowsPageQuerySchema.parse({ offset: "20000", limit: String(MAX_PAGE_ROWS) })).toEqual({
      offset: 20_000,
      limit: MAX_PAGE_ROWS,
    });
    expect(messages(RowsPageQuerySchema.safeParse({ limit: String(MAX_PAGE_ROWS + 1) }))).toEqual([
      `limit must be a whole number from 1 to ${MAX_PAGE_ROWS}`,
    ]);
  });

  it.each(["", "-1", "+1", " 1", "1.5", "1e3", "0x10", "ten"])("take digits only: refuse %j", (text) => {
    expect(QueryWaitQuerySchema.safeParse({ wait: text }).success).toBe(false);
    expect(RowsPageQuerySchema.safeParse({ offset: text }).success).toBe(false);
  });
});

describe("paths", () => {
  it("refuse what is not a query ID, in words that say where IDs come from", () => {
    expect(messages(QueryIdParamsSchema.safeParse({ id: "../../etc" }))).toEqual([
      "id must be a query ID as returned by POST /v1/queries",
    ]);
  });

  it("are filled in and encoded from the route table", () => {
    const id = "5f0c6f4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f";
    expect(relayPath(relayApi.getRows.url, { id })).toBe(`/v1/queries/${id}/rows`);
    expect(relayPath(relayApi.getQuery.url, { id: "a/b?c" })).toBe("/v1/queries/a%2Fb%3Fc");
    expect(relayPath(relayApi.listQueries.url)).toBe("/v1/queries");
    expect(() => relayPath(relayApi.deleteQuery.url)).toThrow(/needs its id/);
  });
});
