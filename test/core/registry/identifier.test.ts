/** Printed identifiers compared as people type them. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identifierKey } from '../../../src/core/registry/identifier.ts';

/** Typed forms of one certificate number, and look-alikes that are other numbers. */
const SAME = ['XH-JD2026-00317', 'xh-jd2026-00317', ' XH-JD2026-00317 ', 'XH-JD 2026-00317', 'ＸＨ－ＪＤ２０２６－００３１７', 'XH-JD2026-00317\u3000', '\u00a0XH-JD2026-00317', 'Xh-Jd2026\t-00317\n', '\ufeffXH-JD2026-00317'];
const CHINESE = ['[2022]沪徐量标证字第0014号', '［２０２２］沪徐量标证字第００１４号', '[2022] 沪徐量标证字 第0014号'];
const OTHER = ['XH-JD2026-00318', 'XH_JD2026-00317', 'XH-JD2026-0317'];

const it = suite('identifier key');

it('case, surrounding and inner spaces and full-width forms do not make another number', () => {
  for (const s of SAME) assert.is(identifierKey(s), 'XH-JD2026-00317', JSON.stringify(s));
  for (const s of CHINESE) assert.is(identifierKey(s), '[2022]沪徐量标证字第0014号', s);
  for (const s of OTHER) assert.is.not(identifierKey(s), 'XH-JD2026-00317', s);
});

it.run();
