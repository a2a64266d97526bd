/**
 * A scene as a standalone SVG document: rectangles and text, the theme's colours written in, no
 * scripts, no external references. Pure, so the markup is unit-tested.
 */
import type { Scene, SceneItem } from './exportScene';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const num = (n: number): string => String(Math.round(n * 100) / 100);

function itemMarkup(item: SceneItem): string {
  if (item.kind === 'rect') {
    const fill = item.fill ? `fill="${escape(item.fill)}"${item.opacity !== undefined && item.opacity < 1 ? ` fill-opacity="${num(item.opacity)}"` : ''}` : 'fill="none"';
    const stroke = item.stroke ? ` stroke="${escape(item.stroke)}" stroke-width="${num(item.strokeWidth ?? 1)}"` : '';
    return `<rect x="${num(item.x)}" y="${num(item.y)}" width="${num(item.width)}" height="${num(item.height)}" ${fill}${stroke}/>`;
  }
  const anchor = item.anchor === 'middle' ? ' text-anchor="middle"' : '';
  const weight = item.bold ? ' font-weight="bold"' : '';
  return `<text x="${num(item.x)}" y="${num(item.y)}" font-size="${item.size}" fill="${escape(item.color)}"${anchor}${weight}>${escape(item.text)}</text>`;
}

export function sceneToSvg(scene: Scene): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" font-family="${escape(scene.font)}">`,
    `<rect width="100%" height="100%" fill="${escape(scene.background)}"/>`,
    ...scene.items.map(itemMarkup),
    '</svg>',
    '',
  ].join('\n');
}
