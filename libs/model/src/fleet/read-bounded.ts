import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a file only when it is within `limit` bytes, so an oversized file costs no memory; its
 * size is returned either way for the error message.
 */
export function readBounded(path: string, limit: number): { bytes: Uint8Array; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return { bytes: new Uint8Array(0), size };
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: buffer.subarray(0, read), size: read };
  } finally {
    closeSync(fd);
  }
}
