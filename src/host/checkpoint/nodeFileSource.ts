/**
 * A local checkpoint file read through a Node file handle: each `read` is one positioned read of
 * just the bytes asked for, so listing a large file costs its header, not its size.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../../core/checkpoint/types';
import type { FileSource } from './fileSource';

export function nodeFileSource(fsPath: string): FileSource {
  const fd = openSync(fsPath, 'r');
  const byteLength = fstatSync(fd).size;
  let open = true;
  return {
    byteLength,
    read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > byteLength) {
        throw new CheckpointError(`the file ends at byte ${byteLength}, before bytes ${offset}–${offset + length} that it refers to`);
      }
      if (!open) throw new CheckpointError('the file was closed');
      const bytes = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const read = readSync(fd, bytes, done, length - done, offset + done);
        if (read === 0) throw new CheckpointError(`the file ended at byte ${offset + done} while reading bytes ${offset}–${offset + length} (was it truncated while open?)`);
        done += read;
      }
      return bytes;
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
