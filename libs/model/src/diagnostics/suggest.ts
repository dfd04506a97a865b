/** Edit distance between two short strings (names, keys), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate when it is close enough to be a likely typo. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined;
}

/** "did you mean 'x'? use one of: a, b, c" or "use one of: a, b, c". */
export function oneOfHint(value: string | undefined, candidates: readonly string[], noun = 'one of'): string {
  if (candidates.length === 0) return `none is defined yet`;
  const shown = candidates.length > 12 ? [...candidates.slice(0, 12), `... (${candidates.length - 12} more)`] : candidates;
  const guess = value === undefined ? undefined : closest(value, candidates);
  const list = `use ${noun}: ${shown.join(', ')}`;
  return guess ? `did you mean '${guess}'? ${list}` : list;
}
