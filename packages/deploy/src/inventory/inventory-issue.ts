/** One thing wrong with an inventory: where (a path into the file), what, and how to fix it. */
export interface InventoryIssue {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  readonly fix?: string;
}

/** `servers[2].roles[0]`, the way a person finds it in the file. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(top level)";
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out === "" ? part : `${out}.${part}`;
  }, "");
}

/** The smallest number of single-character edits between two words, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest of `candidates` to `word` when it is a plausible typo, else undefined. */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { word: candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(word.length / 3))
    ? best.word
    : undefined;
}
