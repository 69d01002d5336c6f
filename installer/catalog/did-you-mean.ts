/** The closest candidates to `input` by edit distance (at most a third of its length), best first. */
export function didYouMean(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(2, Math.floor(input.length / 3));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(input.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= max || c.toLowerCase().includes(input.toLowerCase()))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, limit)
    .map(({ c }) => c);
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
