export { type AppContext, defineApp, type MargAppDefinition } from "./app-definition.js";
