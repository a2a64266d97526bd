import * as vscode from 'vscode';
import { paletteFor, type Palette, type ThemeKind } from '../../core/insight/svg';

/** The palette for the colour theme active now: hovers are built on request, so a theme change applies to the next one. */
export function activePalette(): Palette {
  const kinds: Readonly<Record<vscode.ColorThemeKind, ThemeKind>> = {
    [vscode.ColorThemeKind.Light]: 'light',
    [vscode.ColorThemeKind.Dark]: 'dark',
    [vscode.ColorThemeKind.HighContrast]: 'highContrast',
    [vscode.ColorThemeKind.HighContrastLight]: 'highContrastLight',
  };
  return paletteFor(kinds[vscode.window.activeColorTheme.kind] ?? 'dark');
}

/** An SVG as a `data:` URI, which hover Markdown shows as an image. */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${base64Utf8(svg)}`;
}

/** `text` as UTF-8 in base64, without Node's Buffer (absent from the browser's extension host). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  // In chunks: spreading a whole large image into one call would exceed the argument limit.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** Markdown for a hover that may link to `commands` and nothing else. */
export function hoverMarkdown(value: string, commands: readonly string[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value);
  markdown.isTrusted = commands.length > 0 ? { enabledCommands: [...commands] } : false;
  markdown.supportHtml = false;
  return markdown;
}
