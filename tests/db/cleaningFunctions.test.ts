import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

type Cast = 'id' | 'int' | 'numeric' | 'bool' | 'timestamp' | 'date';

/** What each cast gives for a value, as text (null for NULL), and whether the value counts as unparseable. */
interface Case {
  input: string | null;
  expected: string | null;
  unparseable: boolean;
}

const good = (input: string, expected: string): Case => ({ input, expected, unparseable: false });
const empty = (input: string | null): Case => ({ input, expected: null, unparseable: false });
const bad = (input: string): Case => ({ input, expected: null, unparseable: true });

const blanks = [empty(null), empty(''), empty('   ')];

const CASES: Record<Cast, Case[]> = {
  id: [
    ...blanks,
    good('2', '2'), good('0', '0'), good(' 42 ', '42'), good('\t7\n', '7'), good('+12', '12'), good('-3', '-3'), good('0042', '42'),
    good('9223372036854775807', '9223372036854775807'), good('-9223372036854775808', '-9223372036854775808'),
    good('00000000000000000000000000000099', '99'),
    bad('9223372036854775808'), bad('99999999999999999999999'), bad('2.0'), bad('1e3'), bad('n/a'), bad('abc'), bad('12 3'),
    bad('\u200312'), bad('\uff11\uff12'), bad('0x1F'), bad('1_000'), bad('true'),
  ],
  int: [
    ...blanks,
    good('3', '3'), good(' -7 ', '-7'), good('2147483647', '2147483647'), good('-2147483648', '-2147483648'),
    bad('2147483648'), bad('-2147483649'), bad('1.5'), bad('n/a'),
  ],
  numeric: [
    ...blanks,
    good('68.570000', '68.570000'), good('0.000000', '0.000000'), good('12', '12'), good('-5.50', '-5.50'), good(' 1.25 ', '1.25'),
    good('.5', '0.5'), good('5.', '5'), good('1e3', '1000'), good('-1.5E-2', '-0.015'), good('+2', '2'),
    bad('n/a'), bad('12,50'), bad('1.2.3'), bad('.'), bad('-'), bad('NaN'), bad('Infinity'), bad('-inf'), bad('1e1000'), bad('€12'),
    bad('12 000'), bad('0x10'),
  ],
  bool: [
    ...blanks,
    good('1', 'true'), good('0', 'false'), good(' 1 ', 'true'), good('2', 'true'), good('00', 'false'), good('-1', 'true'),
    good('true', 'true'), good('false', 'false'), good('TRUE', 'true'),
    bad('yes'), bad('n/a'), bad('1.5'), bad('t'),
  ],
  timestamp: [
    ...blanks,
    empty('0000-00-00 00:00:00'), empty('0000-00-00'),
    good('2024-03-10 09:00:00', '2024-03-10 09:00:00'), good('2024-02-29 23:59:59', '2024-02-29 23:59:59'),
    good('2000-02-29 00:00:00', '2000-02-29 00:00:00'), good('1990-05-01', '1990-05-01 00:00:00'),
    good('2024-01-01 10:00:00.25', '2024-01-01 10:00:00.25'), good('0001-01-01 00:00:00', '0001-01-01 00:00:00'),
    good('9999-12-31 23:59:59', '9999-12-31 23:59:59'), good(' 2024-01-01 10:00:00\n', '2024-01-01 10:00:00'), empty(' 0000-00-00 '),
    bad('1990-05-00'), bad('2023-02-30 10:00:00'), bad('2023-02-29 10:00:00'), bad('1900-02-29 10:00:00'), bad('2019-00-10'),
    bad('2019-13-10 10:00:00'), bad('2019-04-31'), bad('0000-05-10'), bad('2024-01-01 24:00:00'), bad('2024-01-01 23:60:00'),
    bad('2024-01-01 23:59:60'), bad('2024-01-01T10:00:00'), bad('2024-1-1'), bad('2024-01-01 10:00'),
    bad('now'), bad('n/a'), bad('2024-01-01 10:00:00.1234567'), bad('\uff12\uff10\uff12\uff14-01-01'), bad('2020----01'),
  ],
  date: [
    ...blanks,
    empty('0000-00-00'), empty('0000-00-00 00:00:00'),
    good('1990-05-01', '1990-05-01'), good('2024-02-29', '2024-02-29'), good('2024-03-10 09:00:00', '2024-03-10'), good('\t1990-05-01 ', '1990-05-01'),
    bad('1990-05-00'), bad('1990-00-10'), bad('2023-02-29'), bad('0000-12-31'), bad('31/12/1990'), bad('19900501'),
  ],
};

describe('the cleaning functions (migration 004)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  /** Every case of a cast through the function and its predicate, read from a table so nothing is folded at plan time. */
  async function evaluate(cast: Cast, cases: Case[]): Promise<Array<{ input: string | null; value: string | null; unparseable: boolean }>> {
    const { rows } = await db.pool.query<{ input: string | null; value: string | null; unparseable: boolean }>(
      `select input, staging.ps_${cast}(input)::text as value, staging.ps_${cast}_unparseable(input) as unparseable
       from unnest($1::text[]) with ordinality as cases (input, position) order by position`,
      [cases.map((c) => c.input)],
    );
    return rows;
  }

  it.each(Object.keys(CASES) as Cast[])('ps_%s parses what it can, gives NULL for the rest, and flags only what it could not parse', async (cast) => {
    const cases = CASES[cast];
    expect(await evaluate(cast, cases)).toEqual(cases.map((c) => ({ input: c.input, value: c.expected, unparseable: c.unparseable })));
  });

  it('gives what the plain cast gives for every value it accepts', async () => {
    const types: Record<Cast, string> = { id: 'bigint', int: 'integer', numeric: 'numeric', bool: 'boolean', timestamp: 'timestamp', date: 'date' };
    for (const [cast, type] of Object.entries(types) as [Cast, string][]) {
      // bool: the shop sends 0 and 1, which PostgreSQL's boolean cast reads the same way.
      const accepted = CASES[cast].filter((c) => c.expected !== null && (cast !== 'bool' || /^[01]$/.test(c.input ?? '')));
      const { rows } = await db.pool.query<{ same: boolean; function_type: string; cast_type: string }>(
        `select staging.ps_${cast}(input) is not distinct from input::${type} as same,
                pg_typeof(staging.ps_${cast}(input))::text as function_type, pg_typeof(input::${type})::text as cast_type
         from unnest($1::text[]) as cases (input)`,
        [accepted.map((c) => c.input)],
      );
      expect(rows.every((r) => r.same && r.function_type === r.cast_type)).toBe(true);
    }
  });

  it('stays plain SQL the planner inlines (no function call per value)', async () => {
    const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(
      `explain (verbose, format text)
       select staging.ps_id(v), staging.ps_int(v), staging.ps_numeric(v), staging.ps_bool(v), staging.ps_timestamp(v), staging.ps_date(v),
              staging.ps_id_unparseable(v), staging.ps_int_unparseable(v), staging.ps_numeric_unparseable(v),
              staging.ps_bool_unparseable(v), staging.ps_timestamp_unparseable(v), staging.ps_date_unparseable(v)
       from (select md5(g::text) as v from generate_series(1, 2) as g) as values_`,
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Output:/);
    expect(plan).not.toMatch(/staging\.ps_/);
  });
});
