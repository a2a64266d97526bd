/**
 * The image header reader (src/core/protocol/imageHeader.ts): the size a PNG or JPEG says it has,
 * before anything decodes it, with a JPEG's EXIF orientation; what it refuses, in words.
 */
import * as assert from 'node:assert/strict';
import { MAX_IMAGE_BYTES } from '../../../src/core/protocol/common';
import { checkImage, MAX_IMAGE_PIXELS, readImageHeader } from '../../../src/core/protocol/imageHeader';

const be16 = (n: number) => [(n >> 8) & 255, n & 255];
const be32 = (n: number) => [...be16(Math.floor(n / 65536)), ...be16(n % 65536)];

/** A PNG's signature and IHDR chunk (the CRC is not checked by the reader, so zeros do). */
function png(width: number, height: number): Uint8Array {
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...be32(13), 0x49, 0x48, 0x44, 0x52, ...be32(width), ...be32(height), 8, 2, 0, 0, 0, 0, 0, 0, 0]);
}

/** An APP1 segment holding EXIF with one IFD0 entry, the orientation, in either byte order. */
function exif(orientation: number, little: boolean): number[] {
  const u16 = (n: number) => (little ? [n & 255, n >> 8] : be16(n));
  const u32 = (n: number) => (little ? [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24] : be32(n));
  const tiff = [...(little ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0, ...u32(0)];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return [0xff, 0xe1, ...be16(body.length + 2), ...body];
}

/** A JPEG's start, an APP0 segment, optional extra segments, then a frame header of `sof`. */
function jpeg(width: number, height: number, extra: number[] = [], sof = 0xc0): Uint8Array {
  const app0 = [0xff, 0xe0, ...be16(16), 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const frame = [0xff, sof, ...be16(11), 8, ...be16(height), ...be16(width), 1, 1, 0x11, 0];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...extra, ...frame, 0xff, 0xda, 0, 2, 0xff, 0xd9]);
}

describe('image headers', () => {
  it('reads a PNG’s size from its IHDR chunk', () => {
    assert.deepEqual(readImageHeader(png(40, 24)), { format: 'png', width: 40, height: 24 });
    assert.deepEqual(readImageHeader(png(30000, 30000)), { format: 'png', width: 30000, height: 30000 });
  });

  it('reads a JPEG’s size from its frame header, baseline or progressive, past fill bytes and other segments', () => {
    assert.deepEqual(readImageHeader(jpeg(640, 480)), { format: 'jpeg', width: 640, height: 480 });
    assert.deepEqual(readImageHeader(jpeg(640, 480, [0xff, 0xff, 0xfe, 0, 4, 0x41, 0x42], 0xc2)), { format: 'jpeg', width: 640, height: 480 });
    // A Huffman table (C4) shares the frame headers' range and is skipped.
    assert.deepEqual(readImageHeader(jpeg(8, 6, [0xff, 0xc4, 0, 3, 0])), { format: 'jpeg', width: 8, height: 6 });
  });

  it('swaps the sides of a JPEG whose EXIF orientation turns it a quarter, in either byte order', () => {
    assert.deepEqual(readImageHeader(jpeg(640, 480, exif(6, true))), { format: 'jpeg', width: 480, height: 640 });
    assert.deepEqual(readImageHeader(jpeg(640, 480, exif(8, false))), { format: 'jpeg', width: 480, height: 640 });
    assert.deepEqual(readImageHeader(jpeg(640, 480, exif(3, false))), { format: 'jpeg', width: 640, height: 480 });
  });

  it('refuses what is not a PNG or JPEG (a GIF, a BMP, a WebP a browser would decode by content), and cut or malformed headers, in words', () => {
    assert.equal(readImageHeader(new TextEncoder().encode('GIF89a\x30\x75\x30\x75')), 'it is not a PNG or JPEG image');
    assert.equal(readImageHeader(Uint8Array.from([0x42, 0x4d, 0, 0])), 'it is not a PNG or JPEG image');
    assert.equal(readImageHeader(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')), 'it is not a PNG or JPEG image');
    assert.match(readImageHeader(png(40, 24).subarray(0, 20)) as string, /PNG header \(IHDR\) is missing or cut off/);
    assert.match(readImageHeader(png(0, 24)) as string, /size of 0×24/);
    assert.match(readImageHeader(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2])) as string, /frame header \(its size\) is missing/);
    assert.match(readImageHeader(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 1, 2])) as string, /a length of 0 at byte 2/);
    assert.match(readImageHeader(Uint8Array.from([0xff, 0xd8, 0x12, 0x34, 0, 0])) as string, /no marker at byte 2/);
    assert.match(readImageHeader(jpeg(640, 480).subarray(0, 26)) as string, /frame header is cut off/);
  });

  it('ends on any bytes, without throwing', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 2 + Math.floor(random() * 64) }, () => (random() < 0.3 ? 0xff : Math.floor(random() * 256)));
      if (i % 2 === 0) bytes.set([0xff, 0xd8]);
      const header = readImageHeader(bytes);
      assert.ok(typeof header === 'string' || (header.width > 0 && header.height > 0));
    }
  });

  it('the lab refuses an image of more pixels or bytes than it takes, saying how large it is', () => {
    assert.equal(checkImage('huge.png', png(30000, 30000)), `huge.png is 30000×30000 pixels, more than the ${MAX_IMAGE_PIXELS / 1e6} megapixels the lab decodes: use a smaller copy of it`);
    assert.deepEqual(checkImage('photo.jpg', jpeg(8000, 6000)), { format: 'jpeg', width: 8000, height: 6000 });
    assert.match(checkImage('big.png', new Uint8Array(MAX_IMAGE_BYTES + 1)) as string, /^big\.png is 64 MB, more than the 64 MB the lab reads$/);
    assert.equal(checkImage('notes.png', new TextEncoder().encode('hello')), 'notes.png cannot be used: it is not a PNG or JPEG image');
  });
});
