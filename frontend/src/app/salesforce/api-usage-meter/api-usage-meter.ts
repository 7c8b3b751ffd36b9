import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ApiUsage } from '@contract';
import { API_USAGE_ERROR_RATIO, API_USAGE_WARNING_RATIO } from '@contract/limits';

import { SldsIcon, SldsProgressBar, SldsProgressBarVariant } from '../../ui/slds';

export type ApiUsageLevel = 'normal' | 'warning' | 'error';

/** How close the org is to its daily API allowance; an org allowed none has none left. */
export function apiUsageLevel(usage: ApiUsage): ApiUsageLevel {
  const ratio = usage.limit > 0 ? usage.used / usage.limit : 1;
  if (ratio >= API_USAGE_ERROR_RATIO) return 'error';
  if (ratio >= API_USAGE_WARNING_RATIO) return 'warning';
  return 'normal';
}

const BAR_VARIANT: Record<ApiUsageLevel, SldsProgressBarVariant> = {
  normal: 'default',
  warning: 'warning',
  error: 'error',
};

/**
 * The org's Salesforce API requests today, as Salesforce last reported them: a bar that turns
 * orange near the daily limit and red at it, with the numbers in words (and when they were
 * measured, in the title), so neither colour nor the bar has to be seen to be understood.
 */
@Component({
  selector: 'app-api-usage-meter',
  imports: [DatePipe, DecimalPipe, SldsIcon, SldsProgressBar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: block; }',
  template: `
    @let current = usage();
    <div
      data-testid="api-usage"
      [attr.data-level]="level()"
      [title]="'Measured ' + (current.at | date: 'medium')"
    >
      <div class="slds-grid slds-grid_align-spread slds-grid_vertical-align-center">
        <p class="slds-text-body_small" data-testid="api-usage-text">
          @if (level() !== 'normal') {
            <slds-icon
              class="slds-m-right_xx-small"
              size="xx-small"
              [name]="level() === 'error' ? 'error' : 'warning'"
              [color]="level() === 'error' ? 'error' : 'warning'"
              [assistiveText]="alert()"
            />
          }
          {{ current.used | number }} of {{ current.limit | number }} API requests today
        </p>
        <span class="slds-text-body_small slds-text-color_weak" aria-hidden="true">
          {{ percent() }}%
        </span>
      </div>
      <slds-progress-bar
        class="slds-m-top_xx-small"
        circular
        label="Salesforce API requests today"
        [value]="current.used"
        [max]="current.limit"
        [valueText]="valueText()"
        [variant]="variant()"
      />
    </div>
  `,
})
export class ApiUsageMeter {
  readonly usage = input.required<ApiUsage>();

  protected readonly level = computed(() => apiUsageLevel(this.usage()));
  /** Said before the numbers by screen readers, which do not see the colour. */
  protected readonly alert = computed(() => {
    const { used, limit } = this.usage();
    if (this.level() === 'warning') return 'Running low:';
    return used >= limit ? 'Limit reached:' : 'Almost none left:';
  });
  protected readonly variant = computed(() => BAR_VARIANT[this.level()]);
  protected readonly percent = computed(() => {
    const { used, limit } = this.usage();
    // Rounded down: "80%" only once the warning starts.
    return limit > 0 ? Math.floor((used / limit) * 100) : 100;
  });
  protected readonly valueText = computed(() => {
    const { used, limit } = this.usage();
    const format = (n: number) => n.toLocaleString('en-US');
    return `${format(used)} of ${format(limit)} (${this.percent()}%)`;
  });
}
