import { deriveKey, KEY_LABELS, openAesGcm, sealAesGcm } from "@marg/core/crypto";

/**
 * Seals a private JWK under a key derived from APP_KEY (label
 * `marg/oidc/signing-key-aead/v1`), bound to its kid; opens it under APP_KEY or
 * any of APP_PREVIOUS_KEYS, so rotating APP_KEY (with the old one kept as
 * previous) does not lose the signing keys.
 */
export class SigningKeySeal {
  readonly #keys: readonly Buffer[];

  constructor(masters: readonly Buffer[]) {
    this.#keys = masters.map((master) => deriveKey(master, KEY_LABELS.oidcSigningKey));
  }

  seal(kid: string, privateJwk: string): string {
    const [current] = this.#keys;
    if (current === undefined) throw new Error("no APP_KEY to seal the signing key with");
    return sealAesGcm(current, Buffer.from(privateJwk, "utf8"), aadOf(kid)).toString("base64");
  }

  /** The private JWK, or undefined when no known APP_KEY opens it. */
  open(kid: string, sealed: string): string | undefined {
    const bytes = Buffer.from(sealed, "base64");
    for (const key of this.#keys) {
      const opened = openAesGcm(key, bytes, aadOf(kid));
      if (opened !== undefined) return opened.toString("utf8");
    }
    return undefined;
  }
}

function aadOf(kid: string): Buffer {
  return Buffer.from(`oidc-signing-key:${kid}`, "utf8");
}
