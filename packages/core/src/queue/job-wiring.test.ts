import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isMargError } from "../errors/index.js";
import { mailSendJob, PLATFORM_JOB_SPECS } from "../platform/platform-jobs.js";
import { type AnyJobDefinition, type AnyJobSpec, defineJob } from "./job-definition.js";
import { checkJobWiring } from "./job-wiring.js";
import { MARG_QUEUES } from "./queue-names.js";

const exportSpec = { name: "app.export", schema: z.object({ rows: z.number() }), queue: "reports" };
const exportJob = defineJob({ ...exportSpec, handler: () => {} }) as AnyJobDefinition;
const mailJob = defineJob({ ...mailSendJob, handler: () => {} }) as AnyJobDefinition;

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isMargError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("checkJobWiring: one definition per job, a handler for every job a served queue receives", () => {
  it("accepts handlers built from the very specs the producers dispatch by", () => {
    const wiring = checkJobWiring({
      specs: [exportSpec as AnyJobSpec, mailSendJob as AnyJobSpec],
      jobs: [exportJob, mailJob],
      queues: ["mail", "reports"],
    });
    expect(wiring.idleQueues).toEqual([]);
    expect(wiring.knownQueues).toEqual(expect.arrayContaining([...MARG_QUEUES]));
  });

  it("refuses a job dispatched to a served queue with no handler, naming the job and the queue", () => {
    const refused = refusal(() =>
      checkJobWiring({ specs: [exportSpec as AnyJobSpec], jobs: [mailJob], queues: ["mail", "reports"] }),
    );
    expect(refused.code).toBe("E_QUEUE_JOB_UNHANDLED");
    expect(refused.message).toContain('Job "app.export"');
    expect(refused.message).toContain('queue "reports"');
  });

  it("leaves a job alone when its queue is served by other workers (--queue without it)", () => {
    expect(() =>
      checkJobWiring({ specs: [exportSpec as AnyJobSpec], jobs: [mailJob], queues: ["mail"] }),
    ).not.toThrow();
  });

  it("refuses a handler whose payload schema is not the producer's (links' old report.generate)", () => {
    const lookalike = defineJob({
      name: "app.export",
      schema: z.object({ rows: z.number() }),
      queue: "reports",
      handler: () => {},
    }) as AnyJobDefinition;
    const refused = refusal(() =>
      checkJobWiring({ specs: [exportSpec as AnyJobSpec], jobs: [lookalike], queues: ["reports"] }),
    );
    expect(refused.code).toBe("E_QUEUE_JOB_MISMATCH");
    expect(refused.message).toContain('"app.export"');
    expect(refused.message).toContain("payload schema");
  });

  it("refuses two specs or a handler that put one job on different queues", () => {
    const elsewhere = { ...exportSpec, queue: "default" } as AnyJobSpec;
    const refused = refusal(() =>
      checkJobWiring({
        specs: [exportSpec as AnyJobSpec, elsewhere],
        jobs: [exportJob],
        queues: ["reports"],
      }),
    );
    expect(refused.code).toBe("E_QUEUE_JOB_MISMATCH");
    expect(refused.message).toContain('("reports" and "default")');
  });

  it("names a served queue nothing is dispatched to, and lists the known ones", () => {
    const handlers = PLATFORM_JOB_SPECS.map(
      (spec) => defineJob({ ...spec, handler: () => {} }) as AnyJobDefinition,
    );
    const wiring = checkJobWiring({ specs: PLATFORM_JOB_SPECS, jobs: handlers, queues: ["mail", "emails"] });
    expect(wiring.idleQueues).toEqual(["emails"]);
    expect(wiring.knownQueues).toEqual(["default", "images", "mail", "reports"]);
  });
});
