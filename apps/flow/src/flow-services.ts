import type { Platform } from "@marg/core/platform";
import { AttachmentRepository } from "./attachments/repository.js";
import { AttachmentService } from "./attachments/service.js";
import { FeedbackRepository } from "./feedback/repository.js";
import type { BusinessTables } from "./feedback/tables.js";
import type { FlowTables } from "./flow-tables.js";
import { PeopleDirectory } from "./people/repository.js";
import { ReportRepository } from "./reports/repository.js";
import { ReportService } from "./reports/service.js";
import { TaskRepository } from "./tasks/repository.js";
import { TaskService } from "./tasks/service.js";

/** Flow's services, built once per process from the platform; routes only call these. */
export interface FlowServices {
  readonly platform: Platform;
  readonly people: PeopleDirectory;
  readonly tasks: TaskService;
  readonly attachments: AttachmentService;
  readonly reports: ReportService;
  readonly feedback: FeedbackRepository;
}

export function createFlowServices(platform: Platform): FlowServices {
  const db = platform.databases.connection<FlowTables>("app");
  const people = new PeopleDirectory(platform.rbacDb);
  const taskRows = new TaskRepository(db);
  const tasks = new TaskService({ tasks: taskRows, people });
  const { queue } = platform;
  const attachments = new AttachmentService({
    attachments: new AttachmentRepository(db),
    tasks,
    taskRows,
    storagePath: platform.config.storage.path,
    queue,
    onDispatchError: (error) => platform.logger.warn({ err: error }, "could not queue an attachment preview"),
  });
  return {
    platform,
    people,
    tasks,
    attachments,
    reports: new ReportService({
      reports: new ReportRepository(db),
      queue,
      storagePath: platform.config.storage.path,
    }),
    feedback: new FeedbackRepository(platform.databases.connection<BusinessTables>("business")),
  };
}
