import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { SigningKeySet, SigningKeys } from "../keys/signing-keys.js";
import type { ProviderDeps } from "./create-provider.js";
import { createProvider } from "./create-provider.js";

/** How often a process looks for keys another process (or `marg oidc:keys rotate`) added. */
const KEY_CHECK_MS = 60_000;

export interface CurrentProvider {
  readonly provider: Provider;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly issuer: URL;
}

/**
 * The provider of one process, built on first use from the stored signing keys
 * and rebuilt when they change (oidc-provider takes its keys at construction):
 * every app server signs with the same current keys and publishes the same JWKS
 * within a minute of a rotation. Retired keys stay published, so tokens signed
 * in that minute still verify.
 */
export class ProviderRuntime {
  #built: { readonly version: string; readonly current: CurrentProvider } | undefined;
  #building: Promise<CurrentProvider> | undefined;
  #checkedAt = 0;

  constructor(
    private readonly keys: SigningKeys,
    private readonly deps: Omit<ProviderDeps, "keys">,
    private readonly now: () => number = Date.now,
  ) {}

  get issuer(): string {
    return this.deps.issuer;
  }

  async current(): Promise<CurrentProvider> {
    if (this.#built !== undefined && this.now() - this.#checkedAt < KEY_CHECK_MS) return this.#built.current;
    this.#building ??= this.#refresh().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  /** Rebuilds now if the stored keys changed (after a rotation in this process). */
  async reload(): Promise<CurrentProvider> {
    this.#checkedAt = 0;
    return this.current();
  }

  async #refresh(): Promise<CurrentProvider> {
    const set: SigningKeySet = await this.keys.load();
    this.#checkedAt = this.now();
    if (this.#built?.version === set.version) return this.#built.current;
    const provider = createProvider({ ...this.deps, keys: set.keys });
    const current = { provider, handler: provider.callback(), issuer: new URL(this.deps.issuer) };
    this.#built = { version: set.version, current };
    return current;
  }
}
