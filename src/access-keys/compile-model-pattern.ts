// An access key's model pattern as a matcher: `*` matches any run of characters (none included),
// everything else itself, compared case-insensitively.
//
// Not a regular expression: `a*b*c` as /^a.*b.*c$/ backtracks through every way of sharing the
// name among the stars before it gives up, seconds for one 200-character name against five stars
// (issue 25). Here the pattern is cut at its stars: the first piece must start the name, the last
// must end it, and each one between is searched once, left to right, from where the one before
// ended. Taking the leftmost place for a piece never loses a match (whatever a later place could
// match, the stars around it can match from the earlier one), so nothing is ever retried: the
// work is at most one search through the name per piece, and a pattern has at most 9 pieces
// (MAX_PATTERN_STARS in src/api/access-keys.ts).

export type ModelMatcher = (name: string) => boolean;

export function compileModelPattern(pattern: string): ModelMatcher {
  const pieces = pattern.toLowerCase().split('*');
  const first = pieces[0]!;
  if (pieces.length === 1) return (name) => name.toLowerCase() === first;
  const last = pieces.at(-1)!;
  const between = pieces.slice(1, -1).filter((piece) => piece !== '');
  return (candidate) => {
    const name = candidate.toLowerCase();
    const end = name.length - last.length;
    if (end < first.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let from = first.length;
    for (const piece of between) {
      const at = name.indexOf(piece, from);
      if (at === -1 || at + piece.length > end) return false;
      from = at + piece.length;
    }
    return true;
  };
}
