/** A value that was there (`{ value }`), so "absent" and "null" stay different. */
export interface Present {
  readonly value: unknown;
}

/** One field that an audited action changed. */
export interface FieldChange {
  readonly field: string;
  /** The value before, or undefined when the field did not exist. */
  readonly before: Present | undefined;
  readonly after: Present | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const same = (a: Present | undefined, b: Present | undefined): boolean =>
  JSON.stringify(a?.value) === JSON.stringify(b?.value) && (a === undefined) === (b === undefined);

/**
 * What changed between an audit row's before and after: the fields whose values
 * differ (all fields of a creation or a deletion). Non-objects compare as one field.
 */
export function diffAudit(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    const b = before === null || before === undefined ? undefined : { value: before };
    const a = after === null || after === undefined ? undefined : { value: after };
    return same(b, a) ? [] : [{ field: "value", before: b, after: a }];
  }
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return fields.flatMap((field) => {
    const b = field in from ? { value: from[field] } : undefined;
    const a = field in to ? { value: to[field] } : undefined;
    return same(b, a) ? [] : [{ field, before: b, after: a }];
  });
}

/** A changed value as text: times (`…At` fields holding epoch ms) as UTC, everything else as JSON. */
export function showValue(field: string, value: unknown): string {
  if (/At$/.test(field) && typeof value === "number" && Number.isFinite(value)) {
    return `${new Date(value).toISOString().slice(0, 19).replace("T", " ")} UTC`;
  }
  return JSON.stringify(value) ?? String(value);
}
