import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

export type SldsIconSprite = 'utility' | 'standard' | 'action' | 'custom' | 'doctype';
export type SldsIconSize = 'xx-small' | 'x-small' | 'small' | 'medium' | 'large';
export type SldsIconColor = 'default' | 'success' | 'warning' | 'error' | 'light';

/**
 * An SLDS sprite icon. The sprites are copied to /assets/icons at build time (see angular.json),
 * so `<use href>` stays same-origin, which the CSP and old browsers both require.
 */
@Component({
  selector: 'slds-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-icon_container',
    '[class]': 'containerClass()',
    '[attr.title]': 'title() || null',
  },
  template: `
    <svg class="slds-icon" [class]="svgClass()" aria-hidden="true">
      <use [attr.href]="href()" />
    </svg>
    @if (assistiveText()) {
      <span class="slds-assistive-text">{{ assistiveText() }}</span>
    }
  `,
})
export class SldsIcon {
  readonly name = input.required<string>();
  readonly sprite = input<SldsIconSprite>('utility');
  readonly size = input<SldsIconSize>('small');
  /** Utility icons are white by default (meant for coloured backgrounds); set this on light ones. */
  readonly color = input<SldsIconColor | null>(null);
  readonly assistiveText = input<string>('');
  readonly title = input<string>('');

  protected readonly href = computed(
    () => `/assets/icons/${this.sprite()}-sprite/svg/symbols.svg#${this.name()}`,
  );
  /** SLDS spells the colour class with hyphens: `data_integration_hub` → `…-data-integration-hub`. */
  protected readonly containerClass = computed(
    () => `slds-icon-${this.sprite()}-${this.name().replace(/_/g, '-')}`,
  );
  protected readonly svgClass = computed(() => {
    const size = this.size() === 'medium' ? '' : `slds-icon_${this.size()}`;
    const color = this.color() ? `slds-icon-text-${this.color()}` : '';
    return `${size} ${color}`.trim();
  });
}
