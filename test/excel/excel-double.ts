/** The strict Excel double (see ./double/index.ts for what it enforces and why it is not office-addin-mock). */
export * from "./double";
