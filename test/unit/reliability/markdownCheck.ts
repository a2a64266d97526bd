/** Checks on Markdown that a hover renders: what of it could still be an image, a link or HTML. */
import * as assert from 'node:assert/strict';

/**
 * The Markdown with its code spans taken out, by CommonMark's rule (a run of n backticks opens a
 * span that the next run of exactly n closes), and backslash escapes dropped with what they escape:
 * what is left is all that can still render as an image, link or HTML.
 */
export function outsideCode(markdown: string): string {
  let out = '';
  for (let k = 0; k < markdown.length; ) {
    if (markdown[k] === '\\') {
      k += 2;
      continue;
    }
    if (markdown[k] !== '`') {
      out += markdown[k];
      k++;
      continue;
    }
    let n = 0;
    while (markdown[k + n] === '`') n++;
    let close = -1;
    for (let j = k + n; j < markdown.length; ) {
      if (markdown[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (markdown[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    k = close < 0 ? k + n : close + n;
  }
  return out;
}

/** Fails when Markdown outside code spans holds an image, a link or HTML, other than `allowedLinks`. */
export function assertOnlyLinks(markdown: string, allowedLinks: readonly string[]): void {
  const text = outsideCode(markdown);
  assert.doesNotMatch(text, /!\[/, 'an image');
  assert.doesNotMatch(text, /<[a-z]/i, 'HTML');
  assert.doesNotMatch(text, /https?:\/\/|www\.|@/i, 'an autolink');
  const links = [...text.matchAll(/\]\(([^)\s]*)/g)].map((m) => m[1]);
  assert.deepEqual(links, allowedLinks);
}
