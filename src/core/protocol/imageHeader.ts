/**
 * The size an image file says it has, read from its header before anything decodes it: a PNG's
 * IHDR chunk, a JPEG's frame header (SOF), and a JPEG's EXIF orientation, which swaps the sides the
 * browser shows. The lab's host reads it before handing the bytes to the page, and the page again
 * before it decodes them: a small file can claim 30000×30000 pixels, which a browser would try to
 * decode whole (3.6 GB of RGBA) before scaling it down. Anything else is refused: the lab's picker
 * offers PNG and JPEG files, and a browser decodes by content, so a `.png` that holds a GIF, a BMP or
 * a WebP would otherwise slip past the check.
 */
import { MAX_IMAGE_BYTES } from './common';

/** The most pixels an image the lab takes may have: 50 megapixels (200 MB decoded as RGBA). */
export const MAX_IMAGE_PIXELS = 50_000_000;

export interface ImageHeader {
  readonly format: 'png' | 'jpeg';
  /** The sides as the browser shows the image (after a JPEG's EXIF orientation). */
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The header of a PNG or JPEG file, or why there is none to read, in words. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | string {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return readPng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return readJpeg(bytes);
  return 'it is not a PNG or JPEG image';
}

/** Why the lab refuses the image `name` of `bytes` (too many bytes or pixels, no header it reads), or its header. */
export function checkImage(name: string, bytes: Uint8Array): ImageHeader | string {
  if (bytes.length > MAX_IMAGE_BYTES) return `${name} is ${megabytes(bytes.length)}, more than the ${megabytes(MAX_IMAGE_BYTES)} the lab reads`;
  const header = readImageHeader(bytes);
  if (typeof header === 'string') return `${name} cannot be used: ${header}`;
  if (header.width * header.height > MAX_IMAGE_PIXELS) {
    return `${name} is ${header.width}×${header.height} pixels, more than the ${MAX_IMAGE_PIXELS / 1e6} megapixels the lab decodes: use a smaller copy of it`;
  }
  return header;
}

/** `12.3 MB`, `64 MB` (powers of 1024, as the file managers say). */
export function megabytes(count: number): string {
  return `${Number((count / 1024 / 1024).toPrecision(3))} MB`;
}

const u16be = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number);
const u32be = (b: Uint8Array, at: number) => u16be(b, at) * 65536 + u16be(b, at + 2);

function readPng(bytes: Uint8Array): ImageHeader | string {
  // Signature, then the first chunk: length (4), type `IHDR` (4), width (4), height (4).
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return 'its PNG header (IHDR) is missing or cut off';
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  if (width === 0 || height === 0) return `its PNG header gives a size of ${width}×${height}`;
  return { format: 'png', width, height };
}

/** Frame headers: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpeg(bytes: Uint8Array): ImageHeader | string {
  let orientation = 1;
  let at = 2;
  // Every step moves forward by at least two bytes, so the walk ends within the file.
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return `its JPEG segments are malformed (no marker at byte ${at})`;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // the image data (or its end) before any frame header
    const length = u16be(bytes, at + 2);
    if (length < 2) return `its JPEG segments are malformed (a length of ${length} at byte ${at})`;
    const end = at + 2 + length;
    if (isFrameHeader(marker)) {
      if (end > bytes.length || length < 7) return 'its JPEG frame header is cut off';
      const height = u16be(bytes, at + 5);
      const width = u16be(bytes, at + 7);
      if (width === 0 || height === 0) return `its JPEG frame header gives a size of ${width}×${height}`;
      // Orientations 5 to 8 turn the image a quarter: the browser shows it with its sides swapped.
      return orientation >= 5 && orientation <= 8 ? { format: 'jpeg', width: height, height: width } : { format: 'jpeg', width, height };
    }
    if (marker === 0xe1) orientation = exifOrientation(bytes.subarray(at + 4, Math.min(end, bytes.length))) ?? orientation;
    at = end;
  }
  return 'its JPEG frame header (its size) is missing';
}

/** The orientation tag (0x0112) of IFD0 in an APP1 segment's `Exif\0\0` TIFF block, if there is one. */
function exifOrientation(segment: Uint8Array): number | undefined {
  if (segment.length < 14 || String.fromCharCode(...segment.subarray(0, 6)) !== 'Exif\0\0') return undefined;
  const tiff = segment.subarray(6);
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return undefined;
  const u16 = (at: number) => (little ? (tiff[at] as number) | ((tiff[at + 1] as number) << 8) : u16be(tiff, at));
  const u32 = (at: number) => (little ? u16(at) + u16(at + 2) * 65536 : u32be(tiff, at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.length) return undefined;
    if (u16(entry) === 0x0112) return u16(entry + 8);
  }
  return undefined;
}
