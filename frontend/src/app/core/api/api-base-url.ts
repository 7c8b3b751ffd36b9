import { InjectionToken } from '@angular/core';

/**
 * Prefix of every backend call. Relative on purpose: the API is served from the SPA's own origin
 * (the dev-server proxy locally), which keeps the SameSite=Lax session cookie first-party.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => '/api',
});
