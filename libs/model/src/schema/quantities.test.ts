import { describe, expect, it } from 'vitest';
import { formatCpu, formatMemory, parseCpu, parseMemory } from './quantities';

describe('Kubernetes quantities', () => {
  it.each([['500m', 500], ['2', 2000], [0.5, 500], ['1.5', 1500], [4, 4000]])('cpu %s is %d millicores', (value, millicores) => {
    expect(parseCpu(value)).toBe(millicores);
  });
  it.each(['half', '-1', '0', '1.5m5', '', '1Gi'])('cpu %s is refused', (value) => expect(parseCpu(value)).toBeUndefined());

  it.each([['512Mi', 512 * 2 ** 20], ['4Gi', 4 * 2 ** 30], ['1G', 1e9], ['1024', 1024], ['1.5Gi', 1.5 * 2 ** 30]])('memory %s is %d bytes', (value, bytes) => {
    expect(parseMemory(value)).toBe(bytes);
  });
  it.each(['1 gigabyte', '1GB', '-1Gi', 'lots'])('memory %s is refused', (value) => expect(parseMemory(value)).toBeUndefined());

  it('formats back to the shortest Kubernetes form', () => {
    expect([formatCpu(500), formatCpu(2000), formatMemory(3 * 2 ** 30), formatMemory(1536 * 2 ** 20), formatMemory(1000)]).toEqual(['500m', '2', '3Gi', '1536Mi', '1000']);
  });
});
