/** `a,b, c` → ["a", "b", "c"]; undefined when the option was not given. */
export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Epoch ms as `2027-01-31 23:59 UTC`, or a dash. */
export function formatTime(ms: number | null): string {
  if (ms === null) return "-";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
