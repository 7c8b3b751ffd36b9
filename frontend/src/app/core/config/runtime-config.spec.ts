import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { RuntimeConfig } from './runtime-config';

describe('RuntimeConfig', () => {
  let config: RuntimeConfig;
  let httpMock: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    config = TestBed.inject(RuntimeConfig);
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  it('when loaded twice, then the server is asked once and the emulator flag is read', async () => {
    const first = config.load();
    const second = config.load();
    httpMock
      .expectOne('/api/config')
      .flush({ salesforce: { uses_emulator: true, api_version: 'v62.0', jwt_bearer: true } });
    await Promise.all([first, second]);

    expect(config.usesSalesforceEmulator()).toBe(true);
    expect(config.jwtBearer()).toBe(true);
    await config.load();
    httpMock.expectNone('/api/config');
  });

  it('when the server fails, then the flag stays false and the next load asks again', async () => {
    const failed = config.load();
    httpMock.expectOne('/api/config').flush('down', { status: 502, statusText: 'Bad Gateway' });
    await failed;
    expect(config.usesSalesforceEmulator()).toBe(false);
    expect(config.jwtBearer()).toBe(false); // unknown: not offered

    const retry = config.load();
    httpMock.expectOne('/api/config').flush({ salesforce: { uses_emulator: false } });
    await retry;
    expect(config.usesSalesforceEmulator()).toBe(false);
  });
});
