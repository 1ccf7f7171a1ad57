import type sharpModule from "sharp";

type Sharp = typeof sharpModule;

let loading: Promise<Sharp> | undefined;

/**
 * sharp and its libvips load with the first image job, in the worker that runs
 * it: every flow web process imports these job definitions, and none of them ever
 * resizes a picture. Measured: 27 MB resident in a bare node, 4–14 MB in a flow
 * web process (which shares some of what libvips maps).
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import("sharp").then((module) => module.default);
  return loading;
}
