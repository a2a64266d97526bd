/**
 * Scenes as pixels: a PNG of one, and an animated GIF of the step player (gifenc). The scene is
 * painted on a canvas directly rather than by drawing the SVG as an image, because loading an
 * image from a `blob:` or `data:` URL is what the panel's Content-Security-Policy forbids.
 */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { Scene } from './exportScene';

/** Paints `scene` on a new canvas at its own size. */
export function paintScene(scene: Scene): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = scene.width;
  canvas.height = scene.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this webview cannot draw on a canvas');
  context.fillStyle = scene.background;
  context.fillRect(0, 0, scene.width, scene.height);
  for (const item of scene.items) {
    if (item.kind === 'rect') {
      if (item.fill) {
        context.globalAlpha = item.opacity ?? 1;
        context.fillStyle = item.fill;
        context.fillRect(item.x, item.y, item.width, item.height);
        context.globalAlpha = 1;
      }
      if (item.stroke) {
        context.strokeStyle = item.stroke;
        context.lineWidth = item.strokeWidth ?? 1;
        context.strokeRect(item.x, item.y, item.width, item.height);
      }
    } else {
      context.font = `${item.bold ? 'bold ' : ''}${item.size}px ${scene.font}`;
      context.fillStyle = item.color;
      context.textAlign = item.anchor === 'middle' ? 'center' : 'left';
      context.fillText(item.text, item.x, item.y);
    }
  }
  return canvas;
}

export async function sceneToPng(scene: Scene): Promise<Uint8Array> {
  const canvas = paintScene(scene);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the canvas could not be encoded as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

/** At most this many frames go into a GIF; longer traces show evenly spaced steps. */
export const MAX_GIF_FRAMES = 120;

/** The steps a GIF of `stepCount` steps shows: all of 0…stepCount, or evenly spaced ones with both ends. */
export function gifSteps(stepCount: number, maxFrames = MAX_GIF_FRAMES): number[] {
  if (stepCount + 1 <= maxFrames) return Array.from({ length: stepCount + 1 }, (_, k) => k);
  const steps = Array.from({ length: maxFrames }, (_, k) => Math.round((k * stepCount) / (maxFrames - 1)));
  return [...new Set(steps)];
}

/**
 * An animated GIF of `scenes` (all the same size), `delayMs` per frame and a longer pause on the
 * last. One palette for every frame, taken from the first, middle and last, so a colour means the
 * same value throughout. `progress` is called between frames (which also lets the page breathe).
 */
export async function scenesToGif(scenes: readonly Scene[], delayMs: number, progress: (done: number) => void): Promise<Uint8Array> {
  const first = scenes[0];
  if (!first) throw new Error('a GIF needs at least one frame');
  const { width, height } = first;
  const pixels = (scene: Scene): Uint8ClampedArray => (paintScene(scene).getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, width, height).data;
  const samples = [...new Set([0, Math.floor(scenes.length / 2), scenes.length - 1])].map((k) => pixels(scenes[k] as Scene));
  const joined = new Uint8ClampedArray(samples.reduce((n, s) => n + s.length, 0));
  samples.reduce((offset, s) => (joined.set(s, offset), offset + s.length), 0);
  const palette = quantize(joined, 256);
  const gif = GIFEncoder();
  for (const [k, scene] of scenes.entries()) {
    const index = applyPalette(pixels(scene), palette);
    gif.writeFrame(index, width, height, { palette, delay: k === scenes.length - 1 ? Math.max(2000, delayMs) : delayMs, repeat: 0 });
    progress(k + 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  gif.finish();
  return gif.bytes();
}
