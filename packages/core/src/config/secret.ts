import { inspect } from "node:util";

/**
 * A value that must never reach a log, a response or an error message.
 * It prints as `[redacted]` however it is printed; `reveal()` is the one way in.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return "[redacted]";
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
