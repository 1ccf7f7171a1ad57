export const PREVIEW_STATES = ["pending", "ready", "failed", "none"] as const;
export type PreviewState = (typeof PREVIEW_STATES)[number];

/** A file attached to a task, as services, views and the API see it. */
export interface Attachment {
  readonly id: number;
  readonly taskId: number;
  readonly userId: number;
  readonly originalName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  /** Relative to STORAGE_PATH. */
  readonly storageKey: string;
  readonly previewKey: string | null;
  readonly previewState: PreviewState;
  readonly createdAt: number;
}
