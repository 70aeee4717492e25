/**
 * The text of a top-level member's value as written in a JSON object (`{"timeNano": 1700…}` ->
 * "1700…"), for numbers JSON.parse would round. Only the object's own members count: the same
 * key nested deeper (inside an attributes map a sender controls) is skipped.
 */
export function topLevelLiteral(json: string, key: string): string | undefined {
  let depth = 0;
  let i = 0;
  while (i < json.length) {
    const char = json[i];
    if (char === '"') {
      const end = stringEnd(json, i);
      if (depth === 1) {
        let next = end;
        while (next < json.length && /\s/.test(json[next])) next += 1;
        if (json[next] === ':' && JSON.parse(json.slice(i, end)) === key) {
          const value = /^\s*("?)(-?\d[\d.eE+-]*)\1/.exec(json.slice(next + 1, next + 64));
          return value?.[2];
        }
      }
      i = end;
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
    i += 1;
  }
  return undefined;
}

/** Index just past the string starting at `start` (a quote), honouring escapes. */
function stringEnd(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i + 1;
}
