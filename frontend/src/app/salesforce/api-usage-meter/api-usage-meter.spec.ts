import { formatDate } from '@angular/common';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ApiUsage } from '@contract';

import { ApiUsageMeter, apiUsageLevel } from './api-usage-meter';

const AT = '2026-03-01T09:41:00.000Z';

describe('ApiUsageMeter', () => {
  let fixture: ComponentFixture<ApiUsageMeter>;
  let page: HTMLElement;

  async function render(used: number, limit = 15_000): Promise<void> {
    fixture = TestBed.createComponent(ApiUsageMeter);
    page = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('usage', { used, limit, at: AT } satisfies ApiUsage);
    await fixture.whenStable();
  }

  const bar = () => page.querySelector<HTMLElement>('[role=progressbar]')!;
  const fill = () => bar().querySelector<HTMLElement>('.slds-progress-bar__value')!;
  const text = () => page.querySelector('[data-testid=api-usage-text]')?.textContent?.trim();
  const colour = () =>
    ['success', 'warning', 'error'].find((v) =>
      fill().classList.contains(`slds-progress-bar__value_${v}`),
    ) ?? 'default';

  it('when well below the limit, then an SLDS bar with the numbers in words, and when they were measured', async () => {
    await render(1234);

    expect(text()).toBe('1,234 of 15,000 API requests today');
    expect(bar().classList).toContain('slds-progress-bar');
    expect(bar().getAttribute('aria-label')).toBe('Salesforce API requests today');
    expect(bar().getAttribute('aria-valuemin')).toBe('0');
    expect(bar().getAttribute('aria-valuemax')).toBe('15000');
    expect(bar().getAttribute('aria-valuenow')).toBe('1234');
    expect(bar().getAttribute('aria-valuetext')).toBe('1,234 of 15,000 (8%)');
    expect(parseFloat(fill().style.width)).toBeCloseTo((1234 / 15_000) * 100, 5);
    expect(colour()).toBe('default');
    expect(page.querySelector('slds-icon')).toBeNull();
    expect(page.querySelector<HTMLElement>('[data-testid=api-usage]')!.title).toBe(
      `Measured ${formatDate(AT, 'medium', 'en-US')}`,
    );
  });

  it('when at 80% or more, then the bar warns, and says so in words too', async () => {
    await render(11_999);
    expect(colour()).toBe('default');

    await render(12_000);
    expect(colour()).toBe('warning');
    expect(page.querySelector('[data-testid=api-usage]')!.getAttribute('data-level')).toBe(
      'warning',
    );
    expect(page.querySelector('slds-icon .slds-assistive-text')?.textContent).toBe('Running low:');
    expect(bar().getAttribute('aria-valuetext')).toBe('12,000 of 15,000 (80%)');

    await render(14_249);
    expect(colour()).toBe('warning');
  });

  it('when at 95% or more, then the bar is red; over the limit it stays full', async () => {
    await render(14_250);
    expect(colour()).toBe('error');
    expect(page.querySelector('slds-icon .slds-assistive-text')?.textContent).toBe(
      'Almost none left:',
    );

    await render(15_600);
    expect(colour()).toBe('error');
    expect(text()).toBe('Limit reached: 15,600 of 15,000 API requests today');
    expect(fill().style.width).toBe('100%');
    expect(bar().getAttribute('aria-valuenow')).toBe('15000');
  });

  it('when rating usage, then the thresholds are the API warning and error ratios', () => {
    const level = (used: number, limit = 1000) => apiUsageLevel({ used, limit, at: AT });
    expect([level(0), level(799), level(800), level(949), level(950), level(1200)]).toEqual([
      'normal',
      'normal',
      'warning',
      'warning',
      'error',
      'error',
    ]);
    expect(level(0, 0)).toBe('error'); // an org allowed no API requests has none left
  });
});
