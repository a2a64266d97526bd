/**
 * The Command Palette finds a command by its title and, among the matches, lists the ones used
 * recently first: if typing one command's whole title also matched another, Enter could run the
 * other one (typing "Layer Lens: Convolution" ran Transposed Convolution, used just before). So no
 * title may match another, neither as a substring nor the way the palette matches words, where a
 * typed word may start at any word of the title ("Lens: Convolution" finds "Lens: Transposed
 * Convolution").
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../../..');

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly category?: string;
}

function commandLabels(): { readonly command: string; readonly title: string; readonly label: string }[] {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: ContributedCommand[] } };
  return manifest.contributes.commands.map(({ command, title, category }) => ({ command, title, label: category ? `${category}: ${title}` : title }));
}

/** What separates words in a title, for the palette. */
const SEPARATOR = /[\s\-_:.,;()[\]{}/\\'"`…]/;

/**
 * Whether the palette's word matching finds `typed` in `label`, case-insensitively: the characters
 * in order, the first at the start of a word, each next one right after the one before or at the
 * start of a later word of the label; a typed space matches any separator.
 */
function matchesWords(typed: string, label: string): boolean {
  const q = typed.toLowerCase();
  const t = label.toLowerCase();
  const wordStarts = [...t].flatMap((char, j) => (j > 0 && (SEPARATOR.test(char) || SEPARATOR.test(t[j - 1] as string)) ? [j] : []));
  const known = new Map<string, boolean>();
  const from = (i: number, j: number): boolean => {
    if (i === q.length) return true;
    if (j >= t.length) return false;
    const key = `${i},${j}`;
    const cached = known.get(key);
    if (cached !== undefined) return cached;
    const here = q[i] === t[j] || (q[i] === ' ' && SEPARATOR.test(t[j] as string));
    const found = here && (from(i + 1, j + 1) || wordStarts.some((start) => start > j + 1 && from(i + 1, start)));
    known.set(key, found);
    return found;
  };
  return [0, ...wordStarts].some((start) => from(0, start));
}

describe('command titles', () => {
  it('the word matching behaves as the palette does on the titles that collided', () => {
    assert.ok(matchesWords('Layer Lens: Convolution', 'Layer Lens: Transposed Convolution'));
    assert.ok(matchesWords('lens conv', 'Layer Lens: Convolve (Conv2d)'));
    assert.ok(!matchesWords('Layer Lens: Convolve', 'Layer Lens: Transposed Convolution (ConvTranspose2d)'));
  });

  it('no command title contains another, after the category', () => {
    const commands = commandLabels();
    for (const a of commands) {
      for (const b of commands) {
        if (a === b) continue;
        assert.ok(!b.title.toLowerCase().includes(a.title.toLowerCase()), `"${a.title}" (${a.command}) is part of "${b.title}" (${b.command})`);
      }
    }
  });

  it('typing a whole command label in the palette matches that command only', () => {
    const commands = commandLabels();
    for (const a of commands) {
      const others = commands.filter((b) => b !== a && matchesWords(a.label, b.label)).map((b) => `"${b.label}"`);
      assert.deepEqual(others, [], `typing "${a.label}" also matches ${others.join(', ')}`);
    }
  });
});
