import { Injectable, signal } from '@angular/core';

export type ToastVariant = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  variant: ToastVariant;
  message: string;
}

/** Errors and warnings stay until dismissed, so nobody misses them; the rest fade on their own. */
const AUTO_DISMISS_MS: Record<ToastVariant, number | null> = {
  info: 5000,
  success: 5000,
  warning: null,
  error: null,
};

/** App-wide notifications, rendered once by ToastContainer in the shell. */
@Injectable({ providedIn: 'root' })
export class ToastStore {
  private nextId = 1;
  private readonly items = signal<readonly Toast[]>([]);

  readonly toasts = this.items.asReadonly();

  show(variant: ToastVariant, message: string): number {
    const id = this.nextId++;
    this.items.update((list) => [...list, { id, variant, message }]);
    const delay = AUTO_DISMISS_MS[variant];
    if (delay !== null) setTimeout(() => this.dismiss(id), delay);
    return id;
  }

  dismiss(id: number): void {
    this.items.update((list) => list.filter((toast) => toast.id !== id));
  }
}
