import { formatDate } from '@angular/common';
import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ConnectionHealth, SalesforceConnection } from '@contract';

import { makeConnection, makeHealth } from '../../../testing/task-fixtures';
import { Clock } from '../../core/time/clock';
import { ConnectionHealthPanel } from './connection-health-panel';

@Component({
  imports: [ConnectionHealthPanel],
  template: `
    <app-connection-health-panel [connection]="connection()">
      <button type="button">Fix it</button>
    </app-connection-health-panel>
  `,
})
class Host {
  readonly connection = signal<SalesforceConnection>(makeConnection());
}

describe('ConnectionHealthPanel', () => {
  const now = signal(Date.parse('2026-01-01T00:15:00.000Z'));
  let fixture: ComponentFixture<Host>;
  let page: HTMLElement;

  beforeEach(() => {
    now.set(Date.parse('2026-01-01T00:15:00.000Z'));
    TestBed.configureTestingModule({ providers: [{ provide: Clock, useValue: { now } }] });
    fixture = TestBed.createComponent(Host);
    page = fixture.nativeElement as HTMLElement;
  });

  async function render(health: Partial<ConnectionHealth>, status = 'connected' as const) {
    fixture.componentInstance.connection.set(
      makeConnection({ status, health: makeHealth(health) }),
    );
    await fixture.whenStable();
  }

  const badge = () => page.querySelector<HTMLElement>('.slds-badge')!;
  const checks = () =>
    page.querySelector('[data-testid=connection-health-checks]')!.textContent!.replace(/\s+/g, ' ');
  const times = () => Array.from(page.querySelectorAll('time'));
  const reasonBox = () => page.querySelector('[data-testid=connection-health-reason]');

  it('when healthy, then a green badge and both checks, relative, with the exact local time on hover', async () => {
    await render({});

    expect(badge().textContent?.trim()).toBe('Healthy');
    expect(badge().classList).toContain('slds-theme_success');
    expect(checks()).toContain('Last check: 10 minutes ago · Next check: in 5 minutes');
    const [last, next] = times();
    expect(last.getAttribute('datetime')).toBe('2026-01-01T00:05:00.000Z');
    expect(last.getAttribute('title')).toBe(
      formatDate('2026-01-01T00:05:00.000Z', 'medium', 'en-US'),
    );
    expect(next.getAttribute('datetime')).toBe('2026-01-01T00:20:00.000Z');
    expect(next.getAttribute('title')).toBe(
      formatDate('2026-01-01T00:20:00.000Z', 'medium', 'en-US'),
    );
    expect(reasonBox()).toBeNull();
    expect(page.textContent).not.toContain('Fix it'); // the action shows only beside a reason
  });

  it('when time passes, then the relative times follow the clock', async () => {
    await render({});

    now.set(Date.parse('2026-01-01T02:06:00.000Z'));
    await fixture.whenStable();

    // Past its time a check is "due now", not "2 hours ago", which would read as a missed one.
    expect(checks()).toContain('Last check: 2 hours ago · Next check: due now');
  });

  it('when degraded, then a warning badge and the reason with a warning icon', async () => {
    await render({ state: 'degraded', reason: 'Salesforce did not answer in time.', failures: 2 });

    expect(badge().textContent?.trim()).toBe('Degraded');
    expect(badge().classList).toContain('slds-theme_warning');
    expect(reasonBox()!.getAttribute('role')).toBe('status');
    expect(reasonBox()!.textContent).toContain('Salesforce did not answer in time.');
    expect(reasonBox()!.querySelector('use')?.getAttribute('href')).toContain('#warning');
    expect(reasonBox()!.querySelector('.slds-assistive-text')?.textContent).toBe('Degraded:');
  });

  it('when a reconnect is needed, then a red badge, the reason with an error icon, and the action beside it', async () => {
    await render({
      state: 'reconnect_needed',
      reason: 'Salesforce revoked access. Reconnect to use it again.',
      next_check_at: null,
    });

    expect(badge().textContent?.trim()).toBe('Reconnect needed');
    expect(badge().classList).toContain('slds-theme_error');
    expect(checks()).toContain('Next check: after you reconnect');
    expect(reasonBox()!.querySelector('.slds-media__body')?.textContent?.trim()).toBe(
      'Salesforce revoked access. Reconnect to use it again.',
    );
    expect(reasonBox()!.querySelector('use')?.getAttribute('href')).toContain('#error');
    expect(reasonBox()!.querySelector('button')?.textContent).toBe('Fix it');
  });

  it('when nothing was checked yet and no reason was recorded, then it says so plainly', async () => {
    await render({ checked_at: null, next_check_at: null });
    expect(checks()).toContain('Last check: not yet · Next check: none scheduled');
    expect(times()).toHaveLength(0);

    await render({
      state: 'reconnect_needed',
      reason: null,
      checked_at: null,
      next_check_at: null,
    });
    expect(reasonBox()!.textContent).toContain('Salesforce no longer accepts this connection.');

    await render({ state: 'degraded', reason: null });
    expect(reasonBox()!.textContent).toContain('The last check could not reach Salesforce');
  });
});
