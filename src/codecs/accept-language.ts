/** Which language a request asks for, read off its Accept-Language header (RFC 9110 §12.5.4) and a ?lang parameter. */

/** The language an Accept-Language header prefers: the tag with the highest q (the first of equals; q=0 refuses), lower-cased; '' for none. */
export function preferredLanguage(acceptLanguage: string | undefined): string {
  let best = { tag: '', q: 0 };
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [rawTag = '', ...params] = part.toLowerCase().split(';');
    const tag = rawTag.trim(); // RFC 9110 allows spaces before the ';'
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag !== '' && Number.isFinite(q) && q > best.q) best = { tag, q };
  }
  return best.tag;
}

/** Whether a request asks for Chinese: ?lang first, else the language Accept-Language prefers. */
export function wantsChinese(langParam: unknown, acceptLanguage: string | undefined): boolean {
  if (langParam === 'zh') return true;
  if (langParam === 'en') return false;
  const tag = preferredLanguage(acceptLanguage);
  return tag === 'zh' || tag.startsWith('zh-');
}
