import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  InjectionToken,
  input,
  type OnInit,
  signal,
  untracked,
} from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { Task, TaskHealthFilter } from '@contract';
import { debounceTime, distinctUntilChanged, firstValueFrom, map, skip } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { PagedData } from '../../core/api/paged-data';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConnectionHealthBadge } from '../../salesforce/connection-health-badge/connection-health-badge';
import { OAuthReturnNotifier } from '../../salesforce/oauth-return-notifier';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import {
  SldsAlert,
  SldsButton,
  SldsButtonIcon,
  SldsCard,
  SldsRadioButtonGroup,
  SldsRadioOption,
  SldsSearchInput,
  SldsSpinner,
} from '../../ui/slds';
import { TaskCreateForm } from '../task-create-form/task-create-form';
import { TasksApi } from '../tasks-api';

type TaskListView = 'all' | 'attention';

/** "Needs attention": the person has something to do (reconnect) or to keep an eye on (degraded). */
const NEEDS_ATTENTION: readonly TaskHealthFilter[] = ['degraded', 'reconnect_needed'];

/** How long typing must pause before the list asks the server: one request per search, not per key. */
export const TASK_SEARCH_DEBOUNCE_MS = new InjectionToken<number>('TASK_SEARCH_DEBOUNCE_MS', {
  providedIn: 'root',
  factory: () => 300,
});

/** The signed-in user's Tasks with their Salesforce health, plus the form to add one. */
@Component({
  selector: 'app-task-list',
  imports: [
    ConfirmModal,
    ConnectionHealthBadge,
    RouterLink,
    SldsAlert,
    SldsButton,
    SldsButtonIcon,
    SldsCard,
    SldsRadioButtonGroup,
    SldsSearchInput,
    SldsSpinner,
    TaskCreateForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-list.html',
})
export class TaskList implements OnInit {
  private readonly tasksApi = inject(TasksApi);
  private readonly toasts = inject(ToastStore);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly oauthReturn = inject(OAuthReturnNotifier);

  /** `?sfdc=error&code=invalid_state` lands here: the callback could not tell which Task it was for. */
  readonly sfdc = input<string>();
  readonly code = input<string>();
  /** `?attention=1`: only Tasks that need attention. In the URL, so a reload or a link keeps it. */
  readonly attention = input<string>();
  /** `?q=`: the search, in the URL too (it follows the box once typing pauses). */
  readonly q = input<string>();

  protected readonly viewOptions: readonly SldsRadioOption<TaskListView>[] = [
    { value: 'all', label: 'All' },
    { value: 'attention', label: 'Needs attention' },
  ];
  protected readonly view = computed<TaskListView>(() =>
    this.attention() === '1' ? 'attention' : 'all',
  );

  /** What is typed in the search box (the URL's search when the page opens). */
  protected readonly searchText = signal('');
  /** The typed search, trimmed, once typing pauses; undefined until the person types. */
  private readonly typedQuery = toSignal(
    toObservable(this.searchText).pipe(
      skip(1), // the box's first value is the URL's, not typing
      map((text) => text.trim()),
      debounceTime(inject(TASK_SEARCH_DEBOUNCE_MS)),
      distinctUntilChanged(),
    ),
    { initialValue: undefined },
  );
  /** The search the list shows: what was typed, or else the URL's (a reload, a link). */
  protected readonly query = computed(() => this.typedQuery() ?? (this.q() ?? '').trim());

  // The server filters (`?health=`, `?q=`) and pages: it knows every Task's health, holds more
  // Tasks than one page, and a reload shows the latest.
  protected readonly tasks = new PagedData<Task, { view: TaskListView; q: string }>({
    request: () => ({ view: this.view(), q: this.query() }),
    loader: ({ view, q }, cursor) =>
      this.tasksApi.page({ health: view === 'attention' ? NEEDS_ATTENTION : [], q, cursor }),
  });
  /** The Task whose deletion is being confirmed in the modal. */
  protected readonly pendingDelete = signal<Task | null>(null);
  protected readonly isDeleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);

  constructor() {
    // Typing's search goes into the URL, replacing the entry (no history step per search).
    effect(() => {
      const typed = this.typedQuery();
      if (typed === undefined) return;
      untracked(
        () =>
          void this.router.navigate([], {
            relativeTo: this.route,
            queryParams: { q: typed || null },
            queryParamsHandling: 'merge',
            replaceUrl: true,
          }),
      );
    });
    effect(() => {
      const outcome = this.sfdc();
      if (outcome) {
        untracked(() => this.oauthReturn.notify({ sfdc: outcome, code: this.code() }, this.route));
      }
    });
  }

  ngOnInit(): void {
    this.searchText.set(this.q() ?? '');
  }

  protected showView(view: TaskListView): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { attention: view === 'attention' ? 1 : null },
      queryParamsHandling: 'merge',
    });
  }

  protected onCreated(task: Task): void {
    // Prepend rather than reload: the list is newest first, and a reload would cost a round trip.
    // Not while filtered: a new Task is not connected yet, so it needs no attention; and only if
    // it matches the search, as the server would have it.
    const matches = task.name.toLowerCase().includes(this.query().toLowerCase());
    if (this.view() === 'all' && matches) this.tasks.updateItems((list) => [task, ...list]);
    this.toasts.show('success', `Task "${task.name}" created.`);
  }

  protected confirmDelete(task: Task): void {
    this.deleteError.set(null);
    this.pendingDelete.set(task);
  }

  protected cancelDelete(): void {
    this.pendingDelete.set(null);
  }

  protected async deleteTask(task: Task): Promise<void> {
    this.isDeleting.set(true);
    this.deleteError.set(null);
    try {
      await firstValueFrom(this.tasksApi.remove(task.id), { defaultValue: undefined });
      this.tasks.updateItems((list) => list.filter((t) => t.id !== task.id));
      this.pendingDelete.set(null);
      this.toasts.show('success', `Task "${task.name}" deleted.`);
    } catch (err) {
      this.deleteError.set(ApiError.from(err).message);
    } finally {
      this.isDeleting.set(false);
    }
  }
}
