import { describe, expect, it } from "vitest";
import type { Task } from "../tasks/types.js";
import { csvCell, tasksCsv } from "./tasks-csv.js";

describe("tasks CSV", () => {
  it("quotes cells with commas, quotes and line breaks", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+cmd")).toBe("'+cmd");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-2)).toBe("-2");
  });

  it("writes a header and one CRLF line per task, people by email", () => {
    const task: Task = {
      id: 3,
      title: "T",
      description: "ignored",
      status: "doing",
      priority: "high",
      dueOn: "2030-01-02",
      creatorId: 1,
      assigneeId: 2,
      createdAt: Date.UTC(2030, 0, 1),
      updatedAt: Date.UTC(2030, 0, 1, 12),
    };
    const people = new Map([[1, { id: 1, name: "A", email: "a@x.test" }]]);
    expect(tasksCsv([task], people)).toBe(
      "id,title,status,priority,due_on,assignee,creator,created_at,updated_at\r\n" +
        "3,T,doing,high,2030-01-02,user 2,a@x.test,2030-01-01T00:00:00.000Z,2030-01-01T12:00:00.000Z\r\n",
    );
  });
});
