import { anyOf, equals, greaterThan, interval, InvalidQueryError, lessThan, listParams } from '../../shared/prestashop/query';

describe('listParams', () => {
  it('renders display, every filter form, sort and limit, with upper-case JSON', () => {
    expect(
      listParams({
        display: ['id', 'date_upd'],
        filters: { id: interval(1, 10), current_state: anyOf(2, 3), id_customer: greaterThan(5), id_cart: lessThan(9), reference: equals('XKBKNABJK') },
        sort: [{ field: 'id', direction: 'DESC' }],
        limit: { offset: 20, count: 10 },
      }),
    ).toEqual([
      ['display', '[id,date_upd]'],
      ['filter[id]', '[1,10]'],
      ['filter[current_state]', '[2|3]'],
      ['filter[id_customer]', '>[5]'],
      ['filter[id_cart]', '<[9]'],
      ['filter[reference]', '[XKBKNABJK]'],
      ['sort', '[id_DESC]'],
      ['limit', '20,10'],
      ['output_format', 'JSON'],
    ]);
  });

  it('adds date=1 when a date field is filtered or sorted, and only then', () => {
    expect(listParams({ filters: { date_upd: interval('2024-01-01 00:00:00', '2024-01-02 00:00:00') } })).toContainEqual(['date', '1']);
    expect(listParams({ sort: [{ field: 'date_add', direction: 'ASC' }] })).toContainEqual(['date', '1']);
    expect(listParams({ display: ['id', 'date_upd'] })).not.toContainEqual(['date', '1']);
    expect(listParams({ display: 'full' })).toEqual([['display', 'full'], ['output_format', 'JSON']]);
  });

  it.each([
    ['ISO T separator', interval('2024-01-01T00:00:00', '2024-01-02 00:00:00')],
    ['no seconds', interval('2024-01-01 00:00', '2024-01-02 00:00:00')],
    ['date only', greaterThan('2024-01-01')],
    ['impossible date', equals('2024-02-30 00:00:00')],
  ])('rejects a date bound (%s) before any request', (_label, filter) => {
    expect(() => listParams({ filters: { date_upd: filter } })).toThrow(InvalidQueryError);
    expect(() => listParams({ filters: { date_upd: filter } })).toThrow(/YYYY-MM-DD HH:MM:SS/);
  });

  it('rejects what the shop would silently misread', () => {
    expect(() => listParams({ filters: { reference: interval('A', 'B') } })).toThrow(/interval bound "A"/);
    expect(() => listParams({ filters: { id: anyOf() } })).toThrow(/empty set/);
    expect(() => listParams({ filters: { reference: equals('a|b') } })).toThrow(/reserved character/);
    expect(() => listParams({ filters: { note: equals('') } })).toThrow(/empty value/);
    expect(() => listParams({ filters: { 'id]': equals(1) } })).toThrow(/field name/);
    expect(() => listParams({ limit: -1 })).toThrow(/non-negative integer/);
    expect(() => listParams({ params: { ws_key: 'x' } })).toThrow(/set by the client/);
    expect(() => listParams({ params: { output_format: 'json' } })).toThrow(/set by the client/);
  });
});
