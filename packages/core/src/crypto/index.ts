/** Small shared crypto: HKDF key derivation with named labels, HMAC, AES-256-GCM. */
export { openAesGcm, sealAesGcm } from "./aes-gcm.js";
export { createKeyDeriver, deriveKey } from "./derive-key.js";
export { constantTimeEqual, hmacSha256 } from "./hmac.js";
export { KEY_LABELS, type KeyLabel } from "./key-labels.js";
export { randomBytesPooled } from "./random-pool.js";
