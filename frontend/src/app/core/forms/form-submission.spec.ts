import { HttpErrorResponse } from '@angular/common/http';
import { FormControl, Validators } from '@angular/forms';

import { ApiError } from '../api/api-error';
import { FormSubmission } from './form-submission';

describe('FormSubmission', () => {
  let submission: FormSubmission;
  const validForm = () => new FormControl('Ada', Validators.required);

  beforeEach(() => {
    submission = new FormSubmission();
  });

  it('when fresh, then nothing is submitted, in flight or failed', () => {
    expect(submission.submitted()).toBe(false);
    expect(submission.isSubmitting()).toBe(false);
    expect(submission.serverError()).toBeNull();
  });

  it('when the form is invalid, then the action does not run but submitted turns true', async () => {
    const action = vi.fn(() => Promise.resolve());

    const ok = await submission.submit(new FormControl('', Validators.required), action);

    expect(ok).toBe(false);
    expect(action).not.toHaveBeenCalled();
    expect(submission.submitted()).toBe(true);
    expect(submission.isSubmitting()).toBe(false);
  });

  it('when the action succeeds, then it is in flight while it runs and resolves true', async () => {
    let finish!: () => void;
    const action = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));

    const pending = submission.submit(validForm(), action);
    expect(action).toHaveBeenCalledTimes(1);
    expect(submission.isSubmitting()).toBe(true);
    finish();

    expect(await pending).toBe(true);
    expect(submission.isSubmitting()).toBe(false);
    expect(submission.serverError()).toBeNull();
    expect(submission.submitted()).toBe(true);
  });

  it('when the action fails, then its ApiError message lands in serverError and it resolves false', async () => {
    const failure = new HttpErrorResponse({
      status: 409,
      error: {
        error: { code: 'email_taken', message: 'An account with this email already exists.' },
      },
    });

    const ok = await submission.submit(validForm(), () => Promise.reject(failure));

    expect(ok).toBe(false);
    expect(submission.serverError()).toBe('An account with this email already exists.');
    expect(submission.isSubmitting()).toBe(false);
  });

  it('when an unknown error is thrown, then the generic ApiError message is shown', async () => {
    await submission.submit(validForm(), () => Promise.reject(new Error('boom')));

    expect(submission.serverError()).toBe(ApiError.from(new Error('boom')).message);
  });

  it('when submitted again after a failure, then the old message is cleared while it runs', async () => {
    await submission.submit(validForm(), () => Promise.reject(new ApiError(500, 'x', 'Failed.')));
    let finish!: () => void;

    const retry = submission.submit(validForm(), () => new Promise<void>((r) => (finish = r)));
    expect(submission.serverError()).toBeNull();
    finish();

    expect(await retry).toBe(true);
    expect(submission.serverError()).toBeNull();
  });

  it('when submitted while a submit is in flight, then the second action does not run', async () => {
    let finish!: () => void;
    const first = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const second = vi.fn(() => Promise.resolve());

    const pending = submission.submit(validForm(), first);
    const again = await submission.submit(validForm(), second);

    expect(again).toBe(false);
    expect(second).not.toHaveBeenCalled();
    expect(submission.isSubmitting()).toBe(true);
    finish();
    expect(await pending).toBe(true);
    expect(first).toHaveBeenCalledTimes(1);
  });

  it('when reset, then submitted and serverError go back to their fresh values', async () => {
    await submission.submit(validForm(), () => Promise.reject(new ApiError(500, 'x', 'Failed.')));

    submission.reset();

    expect(submission.submitted()).toBe(false);
    expect(submission.serverError()).toBeNull();
  });
});
