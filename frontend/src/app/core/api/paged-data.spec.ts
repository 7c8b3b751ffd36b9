import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { Page, PagedData } from './paged-data';

interface Row {
  id: string;
}

/** One pending answer per page asked for, answered by the test in whatever order it likes. */
function answers() {
  const pending: { request: unknown; cursor: string | null; answer: Subject<Page<Row>> }[] = [];
  const loader = (request: unknown, cursor: string | null) => {
    const answer = new Subject<Page<Row>>();
    pending.push({ request, cursor, answer });
    return answer;
  };
  const reply = async (index: number, ids: string[], nextCursor: string | null) => {
    pending[index].answer.next({ items: ids.map((id) => ({ id })), nextCursor });
    pending[index].answer.complete();
    await new Promise((resolve) => setTimeout(resolve));
  };
  const fail = async (index: number, message: string) => {
    pending[index].answer.error(
      new HttpErrorResponse({ status: 500, error: { error: { code: 'internal_error', message } } }),
    );
    await new Promise((resolve) => setTimeout(resolve));
  };
  return { pending, loader, reply, fail };
}

const ids = (data: { items: () => readonly Row[] }) => data.items().map((row) => row.id);

describe('PagedData', () => {
  it('when more pages exist, then loadMore() asks for the one after the cursor and appends it, until there is no more', async () => {
    const { pending, loader, reply } = answers();
    const data = new PagedData<Row>({ loader });
    await reply(0, ['a', 'b'], 'after-b');
    expect(data.hasMore()).toBe(true);

    const more = data.loadMore();
    expect(data.isLoadingMore()).toBe(true);
    void data.loadMore(); // a second click while the first is on its way asks for nothing
    await reply(1, ['c'], null);
    await more;

    expect(pending.map((p) => p.cursor)).toEqual([null, 'after-b']);
    expect(ids(data)).toEqual(['a', 'b', 'c']);
    expect(data.hasMore()).toBe(false);
    expect(data.isLoadingMore()).toBe(false);
    await data.loadMore();
    expect(pending).toHaveLength(2);
  });

  it('when the list is reloaded while a next page is on its way, then that page is dropped, not appended', async () => {
    const { loader, reply } = answers();
    const data = new PagedData<Row>({ loader });
    await reply(0, ['a', 'b'], 'after-b');

    const more = data.loadMore();
    void data.load();
    await reply(2, ['new', 'a'], 'after-a');
    await reply(1, ['c'], null);
    await more;

    expect(ids(data)).toEqual(['new', 'a']);
    expect(data.hasMore()).toBe(true);
  });

  it('when the first page is still loading, then loadMore() waits for it: the rows shown may be another search', async () => {
    const { pending, loader, reply } = answers();
    const q = signal('sync');
    const data = TestBed.runInInjectionContext(
      () => new PagedData<Row, string>({ request: q, loader }),
    );
    TestBed.tick();
    await reply(0, ['a'], 'after-a');

    q.set('lead');
    TestBed.tick();
    await data.loadMore();

    expect(pending.map((p) => [p.request, p.cursor])).toEqual([
      ['sync', null],
      ['lead', null],
    ]);
  });

  it('when loading more fails, then the message shows and the rows stay; trying again can succeed', async () => {
    const { loader, reply, fail } = answers();
    const data = new PagedData<Row>({ loader });
    await reply(0, ['a'], 'after-a');

    const failing = data.loadMore();
    await fail(1, 'The database is not answering.');
    await failing;
    expect(data.moreError()).toBe('The database is not answering.');
    expect(ids(data)).toEqual(['a']);

    const retried = data.loadMore();
    expect(data.moreError()).toBeNull();
    await reply(2, ['b'], null);
    await retried;
    expect(ids(data)).toEqual(['a', 'b']);
  });

  it('with keepOlderBy, when the list reloads, then the newest page is replaced and the older pages shown stay', async () => {
    const { loader, reply } = answers();
    const data = new PagedData<Row>({ loader, keepOlderBy: (row) => row.id });
    await reply(0, ['c', 'b'], 'after-b');
    const more = data.loadMore();
    await reply(1, ['a'], null);
    await more;

    void data.load();
    await reply(2, ['d', 'c'], 'after-c'); // one new row: the page now ends at c

    expect(ids(data)).toEqual(['d', 'c', 'b', 'a']);
    expect(data.hasMore()).toBe(false); // the older pages' own cursor: all of them are shown
  });

  it('with keepOlderBy, when the reloaded page shares no row with what is shown, then only it is shown', async () => {
    const { loader, reply } = answers();
    const data = new PagedData<Row>({ loader, keepOlderBy: (row) => row.id });
    await reply(0, ['c', 'b'], 'after-b');

    void data.load();
    await reply(1, ['z', 'y'], 'after-y');

    expect(ids(data)).toEqual(['z', 'y']);
    expect(data.hasMore()).toBe(true);
  });

  it('when the page changes rows itself, then updateItems() keeps the cursor', async () => {
    const { loader, reply } = answers();
    const data = new PagedData<Row>({ loader });
    await reply(0, ['a', 'b'], 'after-b');

    data.updateItems((rows) => [{ id: 'new' }, ...rows.filter((row) => row.id !== 'a')]);

    expect(ids(data)).toEqual(['new', 'b']);
    expect(data.hasMore()).toBe(true);
  });
});
