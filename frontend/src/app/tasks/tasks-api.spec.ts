import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { makeTask } from '../../testing/task-fixtures';
import { TasksApi } from './tasks-api';

describe('TasksApi', () => {
  let api: TasksApi;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(TasksApi);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('when every Task is asked for, then it follows next_cursor 200 at a time until the last page', async () => {
    const [a, b, c] = [makeTask({ name: 'a' }), makeTask({ name: 'b' }), makeTask({ name: 'c' })];

    const all = firstValueFrom(api.listAll());
    httpMock.expectOne('/api/tasks?limit=200').flush({ tasks: [a, b], next_cursor: 'c1' });
    httpMock.expectOne('/api/tasks?limit=200&cursor=c1').flush({ tasks: [c], next_cursor: null });

    expect((await all).map((task) => task.name)).toEqual(['a', 'b', 'c']);
  });

  it('when a page is asked for with every option, then each goes in the query, health with its commas', async () => {
    const page = firstValueFrom(
      api.page({ health: ['degraded', 'reconnect_needed'], q: '50% off', limit: 20, cursor: 'c1' }),
    );

    httpMock
      .expectOne('/api/tasks?health=degraded,reconnect_needed&q=50%25%20off&limit=20&cursor=c1')
      .flush({ tasks: [], next_cursor: null });

    expect(await page).toEqual({ items: [], nextCursor: null });
  });
});
