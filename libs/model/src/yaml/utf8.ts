/** Offset of the first byte that is not part of valid UTF-8, or -1 when the whole buffer is valid. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    const second = bytes[i + 1] ?? 0;
    const overlong = (b === 0xe0 && second < 0xa0) || (b === 0xf0 && second < 0x90);
    const surrogate = b === 0xed && second >= 0xa0;
    const tooHigh = b === 0xf4 && second >= 0x90;
    if (overlong || surrogate || tooHigh) return i;
    i += length;
  }
  return -1;
}
