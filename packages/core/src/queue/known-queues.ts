/**
 * The queues MARG's jobs are dispatched to, by purpose: the one list the job
 * definitions name their queue from and the deploy renderers draw worker lines
 * from (a worker line with a queue missing here would sit idle; one without a
 * queue listed here leaves its jobs waiting forever).
 */
export const QUEUES = {
  /** Jobs that name no queue; scheduled maintenance (RBAC warm, sweep, click flush). */
  default: "default",
  /** `mail.send`: password resets, invitations, alerts. */
  mail: "mail",
  /** `image.document`, `image.avatar` (sharp). */
  images: "images",
  /** `report.generate` (flow's task export), `links.export` (links' click CSV). */
  reports: "reports",
} as const;

export type KnownQueue = (typeof QUEUES)[keyof typeof QUEUES];

/** Every queue a MARG job is dispatched to, sorted: what a full worker fleet must serve. */
export const KNOWN_QUEUES: readonly KnownQueue[] = Object.values(QUEUES).sort();
