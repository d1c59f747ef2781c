/**
 * `metrotrace import` reads its file line by line in bounded memory: a line
 * longer than the limit is refused, naming it, before it is read whole
 * (issue 16, item 8: a 300 MB line took 4 GB).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { boundedLines, DEFAULT_MAX_LINE_BYTES, ImportError } from '../../src/persistence/export.ts';

const it = suite('reading an export line by line, bounded');

async function collect(chunks: AsyncIterable<Uint8Array | string>, max?: number): Promise<string[] | ImportError> {
  const out: string[] = [];
  try {
    for await (const l of boundedLines(chunks, max)) out.push(l);
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  return out;
}

async function* of(...chunks: Array<Uint8Array | string>): AsyncIterable<Uint8Array | string> {
  yield* chunks;
}

it('an endless line is refused, with its number, after reading no more than the limit', async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let pulled = 0;
  async function* endless(): AsyncIterable<Uint8Array> {
    yield Buffer.from('{"format":"metrotrace.export"}\n{"t":"organisations","r":{}}\r\n{"t":"organisations","r":{"name":"');
    for (;;) {
      pulled++;
      yield chunk;
    }
  }
  const max = 1024 * 1024;
  const result = await collect(endless(), max);
  assert.instance(result, ImportError);
  assert.is((result as ImportError).line, 3);
  assert.match((result as ImportError).message, /^line 3: longer than 1,048,576 bytes \(1 MiB, the limit on a line\); read no further/);
  assert.ok(pulled <= max / chunk.length + 1, `pulled ${pulled} chunks of 64 KiB for a 1 MiB limit`);
});

it('the default limit is 16 MiB; a line of exactly the limit is read', async () => {
  assert.is(DEFAULT_MAX_LINE_BYTES, 16 * 2 ** 20);
  assert.equal(await collect(of('x'.repeat(10), '\n', 'y'.repeat(5)), 10), ['x'.repeat(10), 'y'.repeat(5)]);
  const over = await collect(of('ok\n', 'x'.repeat(11), '\n'), 10);
  assert.instance(over, ImportError);
  assert.is((over as ImportError).line, 2);
});

it('lines as readline gave them: LF or CRLF, blank lines kept, a last line without a break, UTF-8 split across chunks', async () => {
  const text = Buffer.from('{"a":"沪徐量"}\r\n\n{"b":"µΩ"}\n{"c":1}', 'utf8');
  const split = [text.subarray(0, 7), text.subarray(7, 8), text.subarray(8, 20), text.subarray(20)];
  assert.equal(await collect(of(...split)), ['{"a":"沪徐量"}', '', '{"b":"µΩ"}', '{"c":1}']);
  assert.equal(await collect(of('a\n')), ['a'], 'a final line break makes no empty line');
  assert.equal(await collect(of()), []);
});

it('bytes that are not UTF-8 are refused with the line', async () => {
  const bad = await collect(of(Buffer.from('ok\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])));
  assert.instance(bad, ImportError);
  assert.match((bad as ImportError).message, /^line 2: not UTF-8 text/);
});

it.run();
