/** Which parts of a record a response shows (from `display` and `language`). */
export interface RenderSpec {
  /** null: every field (display=full or a single record). */
  fields: ReadonlySet<string> | null;
  /** 'all' with display=full; otherwise the associations named in display, each with its chosen sub-fields (null = all). */
  associations: 'all' | ReadonlyMap<string, ReadonlySet<string> | null>;
  /** Language ids translatable fields are rendered in; exactly one gives plain strings. */
  languages: readonly number[];
}

export function fullSpec(languages: readonly number[]): RenderSpec {
  return { fields: null, associations: 'all', languages };
}
