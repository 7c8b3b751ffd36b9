import { Routes } from '@angular/router';

// The task detail page (`:taskId`, bound as an input) joins here with the Salesforce issue.
export const TASKS_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./task-list/task-list').then((m) => m.TaskList),
  },
];
