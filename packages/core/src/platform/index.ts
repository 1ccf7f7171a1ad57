export { type CreatePlatformOptions, createPlatform } from "./create-platform.js";
export type { Platform } from "./types.js";
