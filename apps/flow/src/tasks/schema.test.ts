import { describe, expect, it } from "vitest";
import { taskListQuerySchema, toTaskListQuery } from "./list-query.js";
import { taskFormToInput, taskInputSchema, taskPatchSchema } from "./schema.js";

describe("task schemas", () => {
  it("reads a form in the API's shape: blanks are none, a numeric assignee a number", () => {
    const input = taskFormToInput({ title: "T", dueOn: " ", assigneeId: "12", _csrf: "x" });
    expect(input).toEqual({
      title: "T",
      description: "",
      status: "todo",
      priority: "normal",
      dueOn: null,
      assigneeId: 12,
    });
    expect(taskInputSchema.parse(input)).toMatchObject({ title: "T", assigneeId: 12 });
    expect(taskFormToInput({ assigneeId: "12abc" }).assigneeId).toBe("12abc");
  });

  it("trims titles and refuses days that do not exist", () => {
    expect(taskInputSchema.parse({ title: "  spaced  " }).title).toBe("spaced");
    expect(taskInputSchema.safeParse({ title: "x", dueOn: "2031-02-29" }).success).toBe(false);
    expect(taskInputSchema.safeParse({ title: "x", dueOn: "2032-02-29" }).success).toBe(true);
  });

  it("needs at least one field in a patch and refuses unknown ones", () => {
    expect(taskPatchSchema.safeParse({}).success).toBe(false);
    expect(taskPatchSchema.safeParse({ status: "done" }).success).toBe(true);
    expect(taskPatchSchema.safeParse({ status: "done", owner: 1 }).success).toBe(false);
  });

  it("defaults the list to newest first, and due dates and titles to ascending", () => {
    const parse = (query: Record<string, string>) => toTaskListQuery(taskListQuerySchema.parse(query));
    expect(parse({})).toMatchObject({ sort: "created", order: "desc", page: 1, perPage: 20 });
    expect(parse({ sort: "due" }).order).toBe("asc");
    expect(parse({ sort: "title", order: "desc" }).order).toBe("desc");
    expect(parse({ status: "", assignee: "", q: "  " })).toMatchObject({
      status: undefined,
      assignee: undefined,
    });
    expect(parse({ assignee: "7" }).assignee).toBe(7);
  });
});
