import { DEFAULT_QUEUE } from "./dispatch-options.js";

/**
 * The queues MARG's jobs are dispatched to, named once: job definitions take
 * their `queue` from here, and `marg infra:render` makes every worker serve
 * these (in this order, the first served first) unless the inventory narrows
 * a worker group. A job on a queue no worker serves never runs.
 */
export const QUEUE_NAMES = {
  /** mail.send and account.signup: password resets, sign-up links, invitations; people wait for these. */
  mail: "mail",
  /** Jobs without a queue of their own (RBAC warm-up, sweeps, links' click flush). */
  default: DEFAULT_QUEUE,
  /** Avatars and previews. */
  images: "images",
  /** report.generate (flow's task export) and links.export (links' click CSV): the slowest jobs, last. */
  reports: "reports",
} as const;

export type MargQueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Every queue, in the priority order workers are started with (`--queue=mail,default,images,reports`). */
export const MARG_QUEUES: readonly MargQueueName[] = [
  QUEUE_NAMES.mail,
  QUEUE_NAMES.default,
  QUEUE_NAMES.images,
  QUEUE_NAMES.reports,
];
