import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { makeBrowserSession } from '../../../testing/account-fixtures';
import { settle } from '../../../testing/settle';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { AccountPage } from './account-page';

describe('AccountPage', () => {
  let fixture: ComponentFixture<AccountPage>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AccountPage);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock.expectOne('/api/auth/sessions').flush({
      sessions: [makeBrowserSession({ id: 'me', current: true }), makeBrowserSession({ id: 'b' })],
    });
    await settle(fixture);
  });

  afterEach(() => httpMock.verify());

  it('when opened, then it has the three sections: password, signed-in browsers, deletion', () => {
    const headings = Array.from(page.querySelectorAll('.slds-card__header-title')).map((h) =>
      h.textContent?.trim(),
    );

    expect(headings).toEqual(['Change password', 'Signed-in browsers', 'Delete account']);
    expect(page.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('when the password is changed, then the browser list is loaded again (the others were signed out)', async () => {
    for (const [id, value] of [
      ['current-password', 'old password'],
      ['new-password', 'a brand new passphrase'],
    ]) {
      const input = page.querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    page.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle(fixture);
    httpMock.expectOne('/api/auth/password').flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    httpMock.expectOne('/api/auth/sessions').flush({
      sessions: [makeBrowserSession({ id: 'me-again', current: true })],
    });
    await settle(fixture);

    expect(page.querySelectorAll('tbody tr')).toHaveLength(1);
  });
});
