import * as vscode from 'vscode';
import { paletteFor, type Palette, type ThemeKind } from '../insight/svg';

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
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** Markdown for a hover that may link to `commands` and nothing else. */
export function hoverMarkdown(value: string, commands: readonly string[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(value);
  markdown.isTrusted = commands.length > 0 ? { enabledCommands: [...commands] } : false;
  markdown.supportHtml = false;
  return markdown;
}
