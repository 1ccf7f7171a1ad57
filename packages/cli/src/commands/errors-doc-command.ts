import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

// errors-doc.ts renders the doc from every package's registry (tests import it directly);
// this file only declares the command, so `marg --help` loads none of those packages.

/** `marg errors:doc`: regenerates docs/errors.md. */
export function registerErrorsDoc(program: Command, ctx: CliContext): void {
  program
    .command("errors:doc")
    .description("Regenerate docs/errors.md from every package's error codes")
    .option("--stdout", "print instead of writing the file")
    .action(
      ctx.action(async (options: { stdout?: boolean }) => {
        const out = ctx.output(false);
        // Every package's error codes: loaded to render, not to list the command.
        const { allErrorCodes, renderErrorsDoc } = await import("./errors-doc.js");
        const doc = renderErrorsDoc();
        if (options.stdout) {
          process.stdout.write(doc);
          return EXIT.OK;
        }
        const file = path.join(ctx.root, "docs", "errors.md");
        writeFileSync(file, doc);
        out.line(`Wrote ${path.relative(ctx.root, file)} (${Object.keys(allErrorCodes()).length} codes).`);
        return EXIT.OK;
      }),
    );
}
