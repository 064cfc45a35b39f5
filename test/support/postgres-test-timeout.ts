// Every store call is a round trip to the server: on a loaded two-core machine the relay's suites need more than
// Jest's 5 s default in the postgresql project (testTimeout cannot be set per project).
jest.setTimeout(30_000);
