import type { ByteSink } from './byte-sink';
import { OPEN_BRACE, objectMembers, plainKey, type JsonMember, type JsonObject } from './json-scan';

const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/** A member path, as dotted field names are split: `['event', 'original']`. */
export type MemberPath = readonly string[];

/**
 * Writes the object (as objectMembers found it) without the members the paths name, copying everything
 * else as it is. A parent left empty by the omission goes too, and a path through a value that is
 * not an object omits nothing: the same result as removing the keys from the parsed object.
 * Returns false, having written nothing, when a key on the way is written with escapes (it could
 * spell a name the paths hold): the caller then parses the object instead.
 */
export function writeWithoutPaths(
  sink: ByteSink,
  bytes: Buffer,
  object: JsonObject,
  paths: readonly MemberPath[],
): boolean {
  const mark = sink.length;
  const written = writeObject(sink, bytes, object, paths);
  if (written === 'unsafe') {
    sink.truncate(mark);
    return false;
  }
  if (written === 'emptied') sink.text('{}');
  return true;
}

type Written = 'written' | 'emptied' | 'unsafe';

function writeObject(
  sink: ByteSink,
  bytes: Buffer,
  object: JsonObject,
  paths: readonly MemberPath[],
): Written {
  const { start, members, end } = object;
  const plans: (readonly MemberPath[] | 'omit' | 'keep')[] = [];
  for (const member of members) {
    const name = plainKey(bytes, member);
    if (name === undefined) return 'unsafe';
    const under = paths.filter((path) => path[0] === name);
    if (under.length === 0) plans.push('keep');
    else if (under.some((path) => path.length === 1)) plans.push('omit');
    else if (bytes[member.valueStart] !== OPEN_BRACE) plans.push('keep');
    else plans.push(under.map((path) => path.slice(1)));
  }
  if (plans.every((plan) => plan === 'keep')) {
    sink.copy(bytes, start, end);
    return 'written';
  }
  const mark = sink.length;
  sink.byte(OPEN_BRACE);
  let kept = 0;
  // Consecutive members kept as they are are copied as one run, commas and all.
  let run: { from: JsonMember; to: JsonMember } | undefined;
  const flush = () => {
    if (!run) return;
    if (kept > 0) sink.byte(COMMA);
    sink.copy(bytes, run.from.keyStart, run.to.valueEnd);
    kept += 1;
    run = undefined;
  };
  for (const [index, member] of members.entries()) {
    const plan = plans[index];
    if (plan === 'keep') {
      run = run ? { from: run.from, to: member } : { from: member, to: member };
      continue;
    }
    flush();
    if (plan === 'omit') continue;
    const memberMark = sink.length;
    if (kept > 0) sink.byte(COMMA);
    sink.copy(bytes, member.keyStart, member.valueStart);
    const inner = writeObject(sink, bytes, objectMembers(bytes, member.valueStart), plan);
    if (inner === 'unsafe') return 'unsafe';
    if (inner === 'emptied') sink.truncate(memberMark);
    else kept += 1;
  }
  flush();
  if (kept === 0) {
    sink.truncate(mark);
    return 'emptied';
  }
  sink.byte(CLOSE_BRACE);
  return 'written';
}
