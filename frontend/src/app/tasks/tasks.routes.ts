import { Routes } from '@angular/router';

export const TASKS_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./task-list/task-list').then((m) => m.TaskList),
  },
  {
    // `:taskId` and the `?sfdc=…&code=…` of the OAuth return arrive as inputs (withComponentInputBinding).
    path: ':taskId',
    loadComponent: () => import('./task-detail/task-detail').then((m) => m.TaskDetail),
  },
];
