/** The Billing Usage contract as code: pure, with no I/O, no Office and no HTTP. */
export * from "./atoms";
export * from "./catalog";
export * from "./request";
export * from "./result";
export * from "./errors";
export * from "./rules";
export * from "./nesting";
export * from "./periods";
export * from "./layout";
export * from "./values";
export * from "./definition";
export * from "./forecast";
