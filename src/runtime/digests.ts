/** The digests the core defines texts for and leaves to its callers (node:crypto). */
import { createHash, createHmac, hash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const BLOCK = 64;

/** The HMAC pads of the last key used, so that a million messages under one seed cost two one-shot hashes each (RFC 2104). */
let padded: { key: string; inner: Buffer; outer: Buffer } | null = null;

function padsOf(key: string): { inner: Buffer; outer: Buffer } {
  if (padded?.key === key) return padded;
  let k = Buffer.from(key, 'utf8');
  if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
  const inner = Buffer.alloc(BLOCK + 1024);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  padded = { key, inner, outer };
  return padded;
}

/**
 * HMAC-SHA-256 of `message` under `key`, in hex: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)).
 * Node's createHmac is the same function; this form skips building an Hmac
 * object per message (the spot-check draw makes one per unit), and falls back
 * to it for long messages and where crypto.hash is missing.
 */
export function hmacSha256Hex(key: string, message: string): string {
  if (typeof hash !== 'function' || message.length > 256) return createHmac('sha256', key).update(message, 'utf8').digest('hex');
  const { inner, outer } = padsOf(key);
  const n = inner.write(message, BLOCK, 'utf8');
  (hash('sha256', inner.subarray(0, BLOCK + n), 'buffer') as unknown as Buffer).copy(outer, BLOCK);
  return hash('sha256', outer, 'hex');
}

/** SHA-256 of bytes (a file as received), in hex. */
export function sha256BytesHex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
