/**
 * The first step of `npm test`: stops with one message naming what the machine lacks
 * (and the command that installs it) instead of a suite failing on `spawn … ENOENT`.
 */
import { testPrerequisitesMessage } from "./test-prerequisites.js";

const message = await testPrerequisitesMessage();
if (message !== undefined) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
