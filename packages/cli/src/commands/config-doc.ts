import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerConfigDoc(program: Command, ctx: CliContext): void {
  program
    .command("config:doc")
    .description("Regenerate docs/configuration.md from the config schema's descriptions")
    .action(
      ctx.action(async () => {
        const { renderConfigDoc } = await import("./config-doc-render.js");
        const file = path.join(ctx.root, "docs", "configuration.md");
        writeFileSync(file, renderConfigDoc());
        ctx.output(false).line(`Wrote ${path.relative(ctx.root, file)}.`);
        return EXIT.OK;
      }),
    );
}
