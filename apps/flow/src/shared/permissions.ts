/**
 * The permissions flow checks, all seeded by core's rbac-seed except
 * `tasks.view-all`, which admins hold through `tasks.*` and super-admins by
 * their role (members and viewers see only their own tasks).
 */
export const PERMISSIONS = {
  viewTasks: "tasks.view",
  viewAllTasks: "tasks.view-all",
  createTasks: "tasks.create",
  /** Editing, moving on the board and commenting. */
  updateTasks: "tasks.update",
  deleteTasks: "tasks.delete",
  viewDocuments: "documents.view",
  uploadDocuments: "documents.create",
  deleteDocuments: "documents.delete",
  reports: "reports.view",
  sendFeedback: "feedback.create",
} as const;
