import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The OCSF schema as its repository publishes it (test/specs/ocsf-schema-1.8.0), read the way the
 * schema server compiles it: a class is its own attributes over its parent's (`extends`), plus
 * included files; every attribute's type and enum come from dictionary.json unless the class or
 * object overrides them; profile attributes count only when the event names the profile in
 * metadata.profiles. validate() names every problem with its path.
 */
type Json = Record<string, unknown>;

interface AttributeDef {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, unknown>;
  profile?: string | null;
}

interface Compiled {
  readonly attributes: Record<string, AttributeDef>;
  readonly constraints: { at_least_one?: string[]; just_one?: string[] };
}

export const OCSF_SCHEMA_DIR = join(__dirname, '..', 'specs', 'ocsf-schema-1.8.0');

const BASE_TYPES: Record<string, (value: unknown) => boolean> = {
  string_t: (value) => typeof value === 'string',
  integer_t: (value) => Number.isInteger(value),
  long_t: (value) => Number.isInteger(value),
  float_t: (value) => typeof value === 'number',
  boolean_t: (value) => typeof value === 'boolean',
  json_t: () => true,
};

export class OcsfSchema {
  private readonly dictionary: Record<string, AttributeDef>;
  private readonly types: Record<string, { type?: string }>;
  private readonly rawObjects = new Map<string, Json>();
  private readonly rawClasses = new Map<string, Json>();
  private readonly categories: Record<string, { uid: number }>;

  constructor(private readonly dir: string = OCSF_SCHEMA_DIR) {
    const dictionary = this.read('dictionary.json');
    this.dictionary = dictionary.attributes as Record<string, AttributeDef>;
    this.types = (dictionary.types as Json).attributes as Record<string, { type?: string }>;
    this.categories = this.read('categories.json').attributes as Record<string, { uid: number }>;
    for (const file of readdirSync(join(dir, 'objects'))) {
      const object = this.read(join('objects', file));
      this.rawObjects.set(object.name as string, object);
    }
    for (const category of readdirSync(join(dir, 'events'), { withFileTypes: true })) {
      const files = category.isDirectory()
        ? readdirSync(join(dir, 'events', category.name)).map((file) => join('events', category.name, file))
        : [join('events', category.name)];
      for (const file of files) {
        const event = this.read(file);
        this.rawClasses.set(event.name as string, event);
      }
    }
  }

  /** The class's uid as events carry it (category × 1000 + class), by class name. */
  classUid(name: string): number {
    const raw = this.rawClasses.get(name)!;
    const category = this.categoryOf(name);
    return this.categories[category].uid * 1000 + (raw.uid as number);
  }

  validate(event: Json): string[] {
    const problems: string[] = [];
    const entry = [...this.rawClasses.keys()].find((name) => {
      const raw = this.rawClasses.get(name)!;
      return raw.uid !== undefined && this.classUid(name) === event.class_uid;
    });
    if (entry === undefined) return [`class_uid ${String(event.class_uid)} is no OCSF 1.8.0 class`];
    const profiles = new Set(((event.metadata as Json | undefined)?.profiles as string[] | undefined) ?? []);
    const compiled = this.compile(this.rawClasses.get(entry)!, 'class', profiles);
    const category = this.categories[this.categoryOf(entry)];
    if (event.category_uid !== category.uid)
      problems.push(`category_uid: ${String(event.category_uid)}, not ${category.uid}`);
    if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number)) {
      problems.push(`type_uid: ${String(event.type_uid)} is not class_uid × 100 + activity_id`);
    }
    this.check(event, compiled, entry, profiles, problems);
    return problems;
  }

  private categoryOf(name: string): string {
    let raw: Json | undefined = this.rawClasses.get(name);
    while (raw && raw.category === undefined) raw = this.rawClasses.get(raw.extends as string);
    return raw!.category as string;
  }

  private read(file: string): Json {
    return JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as Json;
  }

  private compile(raw: Json, kind: 'class' | 'object', profiles: ReadonlySet<string>): Compiled {
    const parentName = raw.extends as string | undefined;
    const parentRaw = parentName
      ? (kind === 'class' ? this.rawClasses : this.rawObjects).get(parentName)
      : undefined;
    const parent: Compiled = parentRaw
      ? this.compile(parentRaw, kind, profiles)
      : { attributes: {}, constraints: {} };
    const attributes: Record<string, AttributeDef> = { ...parent.attributes };
    const own = (raw.attributes ?? {}) as Record<string, unknown>;
    for (const include of (own.$include as string[] | undefined) ?? []) {
      const file = this.read(include);
      const profile = file.meta === 'profile' ? (file.name as string) : undefined;
      if (profile !== undefined && !profiles.has(profile)) continue;
      this.merge(attributes, (file.attributes ?? {}) as Record<string, AttributeDef>);
    }
    this.merge(
      attributes,
      Object.fromEntries(Object.entries(own).filter(([name]) => name !== '$include')) as Record<
        string,
        AttributeDef
      >,
    );
    const constraints = (raw.constraints as Compiled['constraints'] | undefined) ?? parent.constraints;
    return { attributes, constraints };
  }

  private merge(into: Record<string, AttributeDef>, from: Record<string, AttributeDef>): void {
    for (const [name, def] of Object.entries(from)) {
      const base = into[name] ?? this.dictionary[name] ?? {};
      const merged: AttributeDef = {
        ...base,
        ...Object.fromEntries(Object.entries(def).filter(([, v]) => v !== null)),
      };
      if (base.enum || def.enum) merged.enum = { ...this.dictionary[name]?.enum, ...base.enum, ...def.enum };
      into[name] = merged;
    }
  }

  private check(
    value: Json,
    compiled: Compiled,
    path: string,
    profiles: ReadonlySet<string>,
    problems: string[],
  ): void {
    for (const [name, def] of Object.entries(compiled.attributes)) {
      if (def.requirement === 'required' && value[name] === undefined)
        problems.push(`${path}.${name}: required`);
    }
    const { at_least_one: atLeastOne, just_one: justOne } = compiled.constraints;
    if (atLeastOne && !atLeastOne.some((name) => value[name] !== undefined)) {
      problems.push(`${path}: needs at least one of ${atLeastOne.join(', ')}`);
    }
    if (justOne && justOne.filter((name) => value[name] !== undefined).length !== 1) {
      problems.push(`${path}: needs exactly one of ${justOne.join(', ')}`);
    }
    for (const [name, item] of Object.entries(value)) {
      const def = compiled.attributes[name];
      if (def === undefined) {
        problems.push(`${path}.${name}: not a known attribute here`);
        continue;
      }
      if (def.is_array) {
        if (!Array.isArray(item)) problems.push(`${path}.${name}: must be an array`);
        else
          item.forEach((element, index) =>
            this.checkValue(element, def, `${path}.${name}[${index}]`, profiles, problems),
          );
      } else {
        this.checkValue(item, def, `${path}.${name}`, profiles, problems);
      }
    }
  }

  private checkValue(
    item: unknown,
    def: AttributeDef,
    path: string,
    profiles: ReadonlySet<string>,
    problems: string[],
  ): void {
    const type = def.type ?? 'string_t';
    if (type.endsWith('_t')) {
      let base = type;
      while (!BASE_TYPES[base] && this.types[base]?.type) base = this.types[base].type!;
      const test = BASE_TYPES[base] ?? BASE_TYPES.string_t;
      if (base === 'timestamp_t' || type === 'timestamp_t') {
        if (!Number.isInteger(item)) problems.push(`${path}: must be a timestamp in milliseconds`);
      } else if (!test(item)) {
        problems.push(`${path}: must be ${base}, got ${JSON.stringify(item)}`);
      }
      // class_uid and category_uid carry placeholder enums the schema server fills; validate() checks them.
      const placeholder = path.endsWith('.class_uid') || path.endsWith('.category_uid');
      if (def.enum && !placeholder && !Object.prototype.hasOwnProperty.call(def.enum, String(item))) {
        problems.push(`${path}: ${JSON.stringify(item)} is not one of ${Object.keys(def.enum).join(', ')}`);
      }
      return;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${path}: must be an object (${type})`);
      return;
    }
    if (type === 'object') return; // unmapped and the like: any object
    const raw = this.rawObjects.get(type);
    if (raw === undefined) {
      problems.push(`${path}: unknown object type ${type}`);
      return;
    }
    this.check(item as Json, this.compile(raw, 'object', profiles), path, profiles, problems);
  }
}
