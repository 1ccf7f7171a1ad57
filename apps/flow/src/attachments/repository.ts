import type { Insertable, Kysely, Selectable } from "kysely";
import type { FlowTables } from "../flow-tables.js";
import { insertedId } from "../shared/sql-helpers.js";
import type { TaskAttachmentsTable } from "./tables.js";
import { type Attachment, PREVIEW_STATES, type PreviewState } from "./types.js";

function toAttachment(row: Selectable<TaskAttachmentsTable>): Attachment {
  const state = row.preview_state as PreviewState;
  return {
    id: Number(row.id),
    taskId: Number(row.task_id),
    userId: Number(row.user_id),
    originalName: row.original_name,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    storageKey: row.storage_key,
    previewKey: row.preview_key,
    previewState: PREVIEW_STATES.includes(state) ? state : "none",
    createdAt: Number(row.created_at),
  };
}

/** Attachment metadata on flow's database; the files themselves are AttachmentFiles' business. */
export class AttachmentRepository {
  constructor(private readonly db: Kysely<FlowTables>) {}

  async list(taskId: number): Promise<Attachment[]> {
    const rows = await this.db
      .selectFrom("task_attachments")
      .selectAll()
      .where("task_id", "=", taskId)
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(toAttachment);
  }

  async count(taskId: number): Promise<number> {
    const row = await this.db
      .selectFrom("task_attachments")
      .select((eb) => eb.fn.countAll<number>().as("total"))
      .where("task_id", "=", taskId)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }

  async find(id: number): Promise<Attachment | null> {
    const row = await this.db
      .selectFrom("task_attachments")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? null : toAttachment(row);
  }

  async insert(row: Insertable<TaskAttachmentsTable>): Promise<Attachment> {
    const id = insertedId(await this.db.insertInto("task_attachments").values(row).executeTakeFirst());
    const stored = await this.find(id);
    if (stored === null) throw new Error(`attachment ${id} vanished right after it was stored`);
    return stored;
  }

  async delete(id: number): Promise<void> {
    await this.db.deleteFrom("task_attachments").where("id", "=", id).execute();
  }

  /** Records the image.document job's outcome. */
  async setPreview(id: number, state: PreviewState, previewKey: string | null): Promise<void> {
    await this.db
      .updateTable("task_attachments")
      .set({ preview_state: state, preview_key: previewKey })
      .where("id", "=", id)
      .execute();
  }
}
