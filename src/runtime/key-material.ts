/**
 * Key ids and secrets from the operating system's random source, hashed with
 * SHA-256. A secret has 256 bits of entropy, so a fast hash is enough: there is
 * nothing to guess that a slow hash would protect.
 *
 * @impure reads the random source.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyMaterial } from '../app/access.ts';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const keyMaterial: KeyMaterial = {
  newKeyId() {
    // 16 characters from 36: rejection-free by taking bytes modulo 36 would bias; draw until accepted.
    let id = '';
    while (id.length < 16) {
      for (const b of randomBytes(32)) {
        if (b < 252 && id.length < 16) id += ID_ALPHABET[b % 36];
      }
    }
    return id;
  },
  newSecret() {
    return randomBytes(32).toString('base64url');
  },
  hash(secret) {
    return createHash('sha256').update(secret, 'utf8').digest('hex');
  },
  matches(secret, hash) {
    const a = Buffer.from(createHash('sha256').update(secret, 'utf8').digest('hex'), 'utf8');
    const b = Buffer.from(hash, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  },
};
