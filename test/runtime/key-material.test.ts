import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { keyMaterial } from '../../src/runtime/key-material.ts';

const it = suite('API key material');

it('key ids: 16 characters of a–z and 0–9, fresh each time, every character in use', () => {
  const ids = Array.from({ length: 400 }, () => keyMaterial.newKeyId());
  for (const id of ids) assert.match(id, /^[a-z0-9]{16}$/);
  assert.is(new Set(ids).size, ids.length);
  // 6,400 characters drawn from 36: each appears (expected ≈178 each)
  const seen = new Set(ids.join(''));
  assert.is(seen.size, 36);
});

it('secrets: 32 random bytes in base64url', () => {
  const secrets = Array.from({ length: 50 }, () => keyMaterial.newSecret());
  for (const s of secrets) {
    assert.match(s, /^[A-Za-z0-9_-]{43}$/);
    assert.is(Buffer.from(s, 'base64url').length, 32);
  }
  assert.is(new Set(secrets).size, secrets.length);
});

it('the stored hash is SHA-256 in hex (FIPS 180-2 test vectors)', () => {
  assert.is(keyMaterial.hash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(keyMaterial.hash(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // of the UTF-8 bytes ("é" is c3 a9), as Python's hashlib.sha256('é'.encode()) gives it
  assert.is(keyMaterial.hash('é'), '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
});

it('a secret matches its own hash and nothing else', () => {
  const secret = keyMaterial.newSecret();
  const hash = keyMaterial.hash(secret);
  assert.ok(keyMaterial.matches(secret, hash));
  assert.not.ok(keyMaterial.matches(`${secret}x`, hash));
  assert.not.ok(keyMaterial.matches(secret, keyMaterial.hash('other')));
  assert.not.ok(keyMaterial.matches(secret, hash.slice(0, 63)), 'a shorter stored hash is no match, and no throw');
  assert.not.ok(keyMaterial.matches(secret, ''));
  assert.not.ok(keyMaterial.matches(secret, hash.toUpperCase()), 'hex as stored, lower case');
});

it.run();
