import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  DOCUMENT,
  ElementRef,
  inject,
  input,
  output,
} from '@angular/core';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type=hidden])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

let nextId = 0;

/**
 * SLDS modal. Render it with `@if`: being in the DOM means open. It moves focus inside (the first
 * control in the body or footer, so a destructive confirm never starts on its confirm button),
 * keeps Tab inside, emits `closed` on Escape or the close button, and gives focus back to
 * whatever opened it. Project the footer buttons with `sldsModalFooter`.
 */
@Component({
  selector: 'slds-modal',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(document:keydown)': 'onKeydown($event)',
    '(document:focusin)': 'onFocusIn($event)',
  },
  template: `
    <section
      role="dialog"
      tabindex="-1"
      aria-modal="true"
      class="slds-modal slds-fade-in-open"
      [attr.aria-labelledby]="headingId"
      [attr.aria-describedby]="contentId"
    >
      <div class="slds-modal__container">
        <button
          type="button"
          class="slds-button slds-button_icon slds-modal__close"
          title="Close"
          (click)="closed.emit()"
        >
          <svg class="slds-button__icon slds-button__icon_large" aria-hidden="true">
            <use href="/assets/icons/utility-sprite/svg/symbols.svg#close" />
          </svg>
          <span class="slds-assistive-text">Cancel and close</span>
        </button>
        <div class="slds-modal__header">
          <h1 class="slds-modal__title slds-hyphenate" [id]="headingId">{{ heading() }}</h1>
        </div>
        <div class="slds-modal__content slds-p-around_medium slds-is-relative" [id]="contentId">
          <ng-content />
        </div>
        <div class="slds-modal__footer"><ng-content select="[sldsModalFooter]" /></div>
      </div>
    </section>
    <div class="slds-backdrop slds-backdrop_open" role="presentation"></div>
  `,
})
export class SldsModal {
  private readonly document = inject(DOCUMENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  /** Captured at creation: the element that was focused when the modal opened. */
  private readonly opener = this.document.activeElement as HTMLElement | null;

  readonly heading = input.required<string>();
  readonly closed = output<void>();

  protected readonly headingId = `slds-modal-heading-${++nextId}`;
  protected readonly contentId = `slds-modal-content-${nextId}`;

  constructor() {
    afterNextRender(() => this.focusInitial());
    inject(DestroyRef).onDestroy(() => {
      // The opener may be gone (the row it sat in was deleted); then focus stays where it fell.
      if (this.opener?.isConnected) this.opener.focus();
    });
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closed.emit();
    } else if (event.key === 'Tab') {
      this.trapTab(event);
    }
  }

  /** Focus that escapes anyway (a click on the backdrop, a script) is pulled back in. */
  protected onFocusIn(event: FocusEvent): void {
    if (event.target instanceof Node && !this.host.contains(event.target)) this.focusInitial();
  }

  private trapTab(event: KeyboardEvent): void {
    const focusables = this.focusables();
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    const active = this.document.activeElement;
    const isInside = active instanceof Node && this.host.contains(active);
    if (!first || !last) {
      event.preventDefault();
    } else if (event.shiftKey && (active === first || !isInside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !isInside)) {
      event.preventDefault();
      first.focus();
    }
  }

  private focusInitial(): void {
    const inBody = this.host.querySelector<HTMLElement>(
      `.slds-modal__content :is(${FOCUSABLE}), .slds-modal__footer :is(${FOCUSABLE})`,
    );
    (inBody ?? this.focusables()[0])?.focus();
  }

  private focusables(): HTMLElement[] {
    return Array.from(this.host.querySelectorAll<HTMLElement>(FOCUSABLE));
  }
}
