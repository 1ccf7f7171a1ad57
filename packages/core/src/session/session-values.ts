import { MargError } from "../errors/marg-error.js";
import { DEVICE_FIELD } from "./types.js";

/** Field names in the store: app values, flash values and the sign-in state never collide. */
export const FIELD = {
  value: (key: string) => `k:${key}`,
  flash: (key: string) => `f:${key}`,
  user: "a:user",
  /** Where the session was signed in (see session-device.ts). */
  device: DEVICE_FIELD,
} as const;

/** The pending change: fields to write (decoded values) and fields to remove. */
export interface ValueChanges {
  readonly set: ReadonlyMap<string, unknown>;
  readonly unset: readonly string[];
}

/**
 * The values of one session in memory, with per-field dirty tracking: saving
 * writes only the fields this request changed, which is what lets two
 * concurrent requests change different keys without losing either change.
 * Values are kept as their JSON round-trip, so a request sees exactly what the
 * next request will (a Date becomes a string in both).
 */
export class SessionValues {
  readonly #values = new Map<string, unknown>();
  readonly #changed = new Set<string>();
  readonly #removed = new Set<string>();
  readonly #incomingFlash = new Map<string, unknown>();

  /**
   * Values as loaded. Flash values from the previous request move aside (readable
   * with `flashed`) and are removed on save unless flashed again.
   */
  static fromStored(fields: ReadonlyMap<string, unknown>): SessionValues {
    const values = new SessionValues();
    for (const [field, value] of fields) {
      if (field.startsWith("f:")) {
        values.#incomingFlash.set(field.slice(2), value);
        values.#removed.add(field);
      } else {
        values.#values.set(field, value);
      }
    }
    return values;
  }

  get(field: string): unknown {
    const value = this.#values.get(field);
    return value !== null && typeof value === "object" ? structuredClone(value) : value;
  }

  has(field: string): boolean {
    return this.#values.has(field);
  }

  set(field: string, value: unknown): void {
    if (value === undefined) {
      this.delete(field);
      return;
    }
    this.#values.set(field, roundTrip(field, value));
    this.#changed.add(field);
    this.#removed.delete(field);
  }

  delete(field: string): void {
    if (!this.#values.delete(field) && !this.#removed.has(field)) return;
    this.#changed.delete(field);
    this.#removed.add(field);
  }

  /** Forces a rewrite of a field whose stored form is stale (old key). */
  markChanged(field: string): void {
    if (this.#values.has(field)) this.#changed.add(field);
  }

  /** Values whose field starts with `prefix`, keyed without it. */
  withPrefix(prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of this.#values.keys()) {
      if (field.startsWith(prefix)) out[field.slice(prefix.length)] = this.get(field);
    }
    return out;
  }

  flashed(key: string): unknown {
    const value = this.#incomingFlash.get(key);
    return value !== null && typeof value === "object" ? structuredClone(value) : value;
  }

  incomingFlashKeys(): string[] {
    return [...this.#incomingFlash.keys()];
  }

  get dirty(): boolean {
    return this.#changed.size > 0 || this.#removed.size > 0;
  }

  get empty(): boolean {
    return this.#values.size === 0;
  }

  /** Every field with its value (a new session writes them all). */
  entries(): ReadonlyMap<string, unknown> {
    return this.#values;
  }

  changes(): ValueChanges {
    const set = new Map<string, unknown>();
    for (const field of this.#changed) set.set(field, this.#values.get(field));
    return { set, unset: [...this.#removed] };
  }
}

function roundTrip(field: string, value: unknown): unknown {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // BigInt and cycles throw; functions and symbols give undefined
  }
  if (json === undefined) {
    throw new MargError(
      "E_SESSION_VALUE_INVALID",
      `The session value for "${field.slice(2)}" cannot be stored as JSON; store plain data (no functions, BigInt or cycles).`,
    );
  }
  return JSON.parse(json);
}
