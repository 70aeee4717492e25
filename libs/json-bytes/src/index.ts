export { ByteSink } from './byte-sink';
export {
  arrayElements,
  forEachElement,
  forEachMember,
  hasLineBreak,
  MalformedJsonError,
  memberNamed,
  objectMembers,
  plainKey,
  plainKeyAt,
  skipSpace,
  valueEnd,
  type JsonMember,
  type JsonObject,
} from './json-scan';
export { writeWithoutPaths, type MemberPath } from './omit-paths';
