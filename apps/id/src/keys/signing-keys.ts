import { generateKeyPairSync, type JsonWebKey, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { IdTables } from "../db/schema.js";
import type { SigningKeySeal } from "./signing-key-seal.js";

/** The algorithms the provider signs ID tokens with: RS256 (every RP has it) and ES256. */
export const SIGNING_ALGS = ["RS256", "ES256"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/**
 * How long a retired key stays published in the JWKS: well past the longest
 * lifetime of anything it signed (ID tokens live an hour), so an RP verifying a
 * token signed just before a rotation still finds the key.
 */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 60 * 60 * 1000;

/** A private JWK as oidc-provider's `jwks.keys` takes it. */
export type PrivateJwk = JsonWebKey & { kid: string; alg: SigningAlg; use: "sig" };

export interface SigningKeySet {
  /** Current keys first (the provider signs with the first key of an algorithm), then retired ones. */
  readonly keys: readonly PrivateJwk[];
  /** Changes whenever a key is added or retired: processes compare it to reload. */
  readonly version: string;
}

function generate(alg: SigningAlg): PrivateJwk {
  const { privateKey } =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = randomBytes(12).toString("base64url");
  return { ...privateKey.export({ format: "jwk" }), kid, alg, use: "sig" };
}

function publicPart(jwk: PrivateJwk): JsonWebKey {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

/**
 * The provider's signing keys, stored in id_db so every app server signs with the
 * same keys and publishes the same JWKS; private parts sealed with APP_KEY
 * (signing-key-seal.ts). Made on first use; {@link rotate} adds new current keys
 * and retires the old ones, which stay published for a day.
 */
export class SigningKeys {
  constructor(
    private readonly db: Kysely<IdTables>,
    private readonly seal: SigningKeySeal,
    private readonly warn: (message: string, details: Record<string, unknown>) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The keys to sign with and publish; creates any missing current key first. */
  async load(): Promise<SigningKeySet> {
    let set = await this.#read();
    const missing = SIGNING_ALGS.filter((alg) => !set.current.has(alg));
    if (missing.length > 0) {
      for (const alg of missing) await this.#insert(generate(alg));
      set = await this.#read();
    }
    const keys = [...set.current.values(), ...set.retired];
    return { keys, version: keys.map((key) => key.kid).join(",") };
  }

  /** New current keys for every algorithm; the previous ones are retired (still published). Returns the new kids. */
  async rotate(): Promise<string[]> {
    const fresh = SIGNING_ALGS.map(generate);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("oidc_signing_keys")
        .set({ retired_at: this.now() })
        .where("retired_at", "is", null)
        .execute();
      for (const key of fresh) await trx.insertInto("oidc_signing_keys").values(this.#row(key)).execute();
    });
    await this.db
      .deleteFrom("oidc_signing_keys")
      .where("retired_at", "<", this.now() - RETIRED_KEY_PUBLISHED_MS)
      .execute();
    return fresh.map((key) => key.kid);
  }

  /** Every stored key, newest first, without its private part (for `marg oidc:keys list`). */
  async list(): Promise<{ kid: string; alg: string; createdAt: number; retiredAt: number | null }[]> {
    const rows = await this.db
      .selectFrom("oidc_signing_keys")
      .select(["kid", "alg", "created_at", "retired_at"])
      .orderBy("created_at", "desc")
      .execute();
    return rows.map((row) => ({
      kid: row.kid,
      alg: row.alg,
      createdAt: Number(row.created_at),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
    }));
  }

  async #insert(key: PrivateJwk): Promise<void> {
    await this.db.insertInto("oidc_signing_keys").values(this.#row(key)).execute();
  }

  #row(key: PrivateJwk) {
    return {
      kid: key.kid,
      alg: key.alg,
      public_jwk: JSON.stringify(publicPart(key)),
      private_sealed: this.seal.seal(key.kid, JSON.stringify(key)),
      created_at: this.now(),
      retired_at: null,
    };
  }

  async #read(): Promise<{ current: Map<SigningAlg, PrivateJwk>; retired: PrivateJwk[] }> {
    const rows = await this.db
      .selectFrom("oidc_signing_keys")
      .selectAll()
      .where((eb) =>
        eb.or([eb("retired_at", "is", null), eb("retired_at", ">=", this.now() - RETIRED_KEY_PUBLISHED_MS)]),
      )
      // Newest first: two servers that both made a first key at once agree on the newest as current.
      .orderBy("created_at", "desc")
      .orderBy("kid")
      .execute();
    const current = new Map<SigningAlg, PrivateJwk>();
    const retired: PrivateJwk[] = [];
    for (const row of rows) {
      const opened = this.seal.open(row.kid, row.private_sealed);
      if (opened === undefined) {
        this.warn("an OIDC signing key cannot be opened with APP_KEY or APP_PREVIOUS_KEYS; skipped", {
          kid: row.kid,
        });
        continue;
      }
      const jwk = JSON.parse(opened) as PrivateJwk;
      if (row.retired_at === null && !current.has(jwk.alg)) current.set(jwk.alg, jwk);
      else retired.push(jwk);
    }
    return { current, retired };
  }
}
