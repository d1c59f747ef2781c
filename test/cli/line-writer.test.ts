import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineWriter } from '../../src/cli/line-writer.ts';

/** A stream that keeps every chunk; `slow` makes it ask to wait (a small high-water mark, writes finished later). */
function sink(slow = false) {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: slow ? 16 : 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      if (slow) setImmediate(done);
      else done();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

const LINES = ['{"reported":"l = (50.000838 ± 0.000093) mm, k = 2.92, p ≈ 99 %"}', '', 'plain ascii', 'astral 𝑢_c and ν_eff', 'é'.repeat(700)];

test('the bytes written are the UTF-8 of the lines, each ended by a newline, across buffer boundaries', async () => {
  const { stream, bytes } = sink();
  const out = new LineWriter(stream, 1024);
  const lines: string[] = [];
  for (let i = 0; i < 500; i++) {
    const line = `${LINES[i % LINES.length]} #${i}`;
    lines.push(line);
    out.line(line);
    if (i % 37 === 0) await out.flush();
  }
  await out.flush();
  assert.ok(bytes().equals(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8')));
});

test('a line longer than the buffer is written whole, after what was buffered', async () => {
  const { stream, bytes } = sink();
  const out = new LineWriter(stream, 64);
  const long = '±'.repeat(100);
  out.line('first');
  out.line(long);
  out.line('last');
  assert.is(out.pending, 5);
  await out.flush();
  assert.is(out.pending, 0);
  assert.is(bytes().toString('utf8'), `first\n${long}\nlast\n`);
});

test('flush waits for a stream that asks to wait, and nothing is lost', async () => {
  const { stream, bytes } = sink(true);
  const out = new LineWriter(stream, 256);
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ≈ ${'x'.repeat(i % 50)}`);
  for (const l of lines) {
    out.line(l);
    if (out.pending >= 128) await out.flush();
  }
  await out.flush();
  await new Promise((resolve) => stream.end(resolve));
  assert.is(bytes().toString('utf8'), lines.map((l) => `${l}\n`).join(''));
});

test.run();
