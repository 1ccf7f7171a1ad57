/**
 * `@marg/cli/testing`: what the repo's suites drive the CLI with from outside
 * it: a context and output to run one command in-process, the commands they
 * register, and the renderers of the generated docs and the capacity report.
 */
export { readBenchResults } from "../capacity/bench-results.js";
export { createCliContext } from "../cli-context.js";
export { readVariableDocs, renderConfigDoc } from "../commands/config-doc-render.js";
export { registerDeployRolling } from "../commands/deploy-rolling.js";
export { allErrorCodes, renderErrorsDoc } from "../commands/errors-doc.js";
export { createOutput } from "../output.js";
