export { defineApp, type MargAppDefinition } from "./app-definition.js";
