import type { TestClient } from "@marg/core/testing";

/** Creates a task through the new-task form and returns its id. */
export async function createTaskViaForm(
  browser: TestClient,
  fields: Readonly<Record<string, string>>,
): Promise<number> {
  const response = await browser.submit("/tasks/new", "/tasks", {
    status: "todo",
    priority: "normal",
    description: "",
    dueOn: "",
    assigneeId: "",
    ...fields,
  });
  const id = /^\/tasks\/(\d+)$/.exec(response.location ?? "")?.[1];
  if (response.status !== 303 || id === undefined) {
    throw new Error(
      `creating a task answered ${response.status} ${response.location ?? ""}: ${response.body.slice(0, 300)}`,
    );
  }
  return Number(id);
}

/** The text of the first element with `class="error"` after `id="f-<name>"` (the field's message). */
export function fieldError(html: string, name: string): string | undefined {
  return new RegExp(`id="f-${name}-error">([^<]*)<`).exec(html)?.[1];
}

/** The value attribute of input `name`, or the text of textarea `name`. */
export function fieldValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  return input ?? new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
}
