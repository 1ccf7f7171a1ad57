/**
 * `@marg/deploy/testing`: what the repo's fleet and HA suites render and run
 * with: the example inventories rendered to a temp dir, free ports, running
 * real tools (in the background too), self-signed certificates.
 */
export {
  EXAMPLES,
  type ExampleName,
  examplePath,
  loadExample,
  type RenderedFleet,
  renderExample,
  renderToTemp,
  tweakExample,
  useLoopbackAddresses,
} from "./example-fleets.js";
export { freePort } from "./free-port.js";
export {
  type BackgroundProcess,
  hasCommand,
  runTool,
  runToolAsync,
  startBackground,
  type ToolResult,
  waitFor,
} from "./run-tool.js";
export { makeSelfSignedCertificate } from "./self-signed-cert.js";
