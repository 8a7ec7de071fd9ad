import { get, Query } from '../api/client';

const PAGE = 500;

/** Every item of a paged list (the API's largest page is 500): the first page, then the rest at once. */
export async function allPages<T>(path: string, query: Query = {}): Promise<T[]> {
  const first = await get<{ items: T[]; total: number }>(path, { ...query, limit: PAGE, offset: 0 });
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total; offset += PAGE) offsets.push(offset);
  const rest = await Promise.all(offsets.map((offset) => get<{ items: T[] }>(path, { ...query, limit: PAGE, offset })));
  return [first.items, ...rest.map((page) => page.items)].flat();
}
