import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';

import { RemoteData } from './remote-data';

/** One pending answer per load, answered by the test in whatever order it likes. */
function answers<T>() {
  const pending: { request: unknown; answer: Subject<T> }[] = [];
  const loader = (request: unknown) => {
    const answer = new Subject<T>();
    pending.push({ request, answer });
    return answer;
  };
  const reply = async (index: number, value: T) => {
    pending[index].answer.next(value);
    pending[index].answer.complete();
    await Promise.resolve();
  };
  const fail = async (index: number, message: string) => {
    pending[index].answer.error(
      new HttpErrorResponse({ status: 500, error: { error: { code: 'internal_error', message } } }),
    );
    await Promise.resolve();
  };
  return { pending, loader, reply, fail };
}

describe('RemoteData', () => {
  it('when built without a request, then it loads at once and shows the answer', async () => {
    const { pending, loader, reply } = answers<string[]>();
    const data = new RemoteData<string[]>({ loader, initial: [] });

    expect(pending).toHaveLength(1);
    expect(data.isLoading()).toBe(true);
    await reply(0, ['a', 'b']);

    expect(data.value()).toEqual(['a', 'b']);
    expect(data.isLoading()).toBe(false);
    expect(data.error()).toBeNull();
  });

  it('when a load fails, then the message shows and the value is back to initial; load() tries again', async () => {
    const { loader, reply, fail } = answers<string[]>();
    const data = new RemoteData<string[]>({ loader, initial: [] });
    await reply(0, ['kept until the failure']);

    const reloading = data.load();
    expect(data.value()).toEqual(['kept until the failure']); // no blank page while reloading
    expect(data.isLoading()).toBe(true);
    await fail(1, 'The database is not answering.');
    await reloading;

    expect(data.error()).toBe('The database is not answering.');
    expect(data.value()).toEqual([]);
    expect(data.isLoading()).toBe(false);

    const retried = data.load();
    expect(data.error()).toBeNull();
    await reply(2, ['back']);
    await retried;
    expect(data.value()).toEqual(['back']);
  });

  it('when loads overlap, then only the newest answer counts, whether an older one succeeds or fails later', async () => {
    const { loader, reply, fail } = answers<string>();
    const data = new RemoteData<string>({ loader, initial: '' });
    void data.load();
    void data.load();

    await reply(2, 'newest');
    await reply(0, 'older');
    await fail(1, 'too late to matter');

    expect(data.value()).toBe('newest');
    expect(data.error()).toBeNull();
    expect(data.isLoading()).toBe(false);
  });

  it('when the request changes, then it loads for the new one, and a late answer for the old one is dropped', async () => {
    const { pending, loader, reply } = answers<string>();
    const taskId = signal('t1');
    const data = TestBed.runInInjectionContext(
      () => new RemoteData<string, string>({ request: taskId, loader, initial: '' }),
    );

    TestBed.tick(); // runs the effect that reads the request
    taskId.set('t2');
    TestBed.tick();
    await reply(1, 'task 2');
    await reply(0, 'task 1');

    expect(pending.map((p) => p.request)).toEqual(['t1', 't2']);
    expect(data.value()).toBe('task 2');

    const reloading = data.load();
    expect(pending[2].request).toBe('t2'); // load() asks for the current request again
    await reply(2, 'task 2, again');
    await reloading;
    expect(data.value()).toBe('task 2, again');
  });
});
