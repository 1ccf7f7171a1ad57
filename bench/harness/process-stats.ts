import { readFileSync } from "node:fs";

/** Resident set size of a process in bytes, from /proc (Linux); null where it cannot be read. */
export function residentBytes(pid: number): number | null {
  return procStatusKb(pid, "VmRSS");
}

/** Peak resident set size of a process in bytes ("high-water mark"); null where it cannot be read. */
export function peakResidentBytes(pid: number): number | null {
  return procStatusKb(pid, "VmHWM");
}

function procStatusKb(pid: number, field: string): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

export const megabytes = (bytes: number | null): number | null =>
  bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A process's RSS now and its peak, MB; what the report compares between contenders. */
export interface ResidentFigures {
  readonly rssMb: number | null;
  readonly peakRssMb: number | null;
}

export function residentFigures(process: { readonly pid: number }): ResidentFigures {
  return {
    rssMb: megabytes(residentBytes(process.pid)),
    peakRssMb: megabytes(peakResidentBytes(process.pid)),
  };
}
