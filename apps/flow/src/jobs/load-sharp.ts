import type sharpModule from "sharp";

type Sharp = typeof sharpModule;

let loading: Promise<Sharp> | undefined;

/**
 * sharp and its libvips (about 27 MB of resident memory) load with the first image
 * job, in the worker that runs it: every flow web process imports these job
 * definitions, and none of them ever resizes a picture.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import("sharp").then((module) => module.default);
  return loading;
}
