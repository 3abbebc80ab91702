/**
 * A failed outcome of a billing run, in words for the dashboard: the close's code and message (a
 * subscription it could not rate), or the name of the error a crash ended with and that error's
 * message. Step Functions reports a crash's cause as a JSON string (errorType, errorMessage, trace):
 * it is meant for operators and never shown raw, only the errorMessage it carries.
 */
export function failureText(result: { code?: string; message?: string; error?: string; cause?: string }): {
  label: string;
  message?: string;
} {
  if (result.code) return { label: result.code, ...(result.message ? { message: result.message } : {}) };
  if (result.error) {
    const message = crashMessage(result.cause);
    return { label: result.error, ...(message ? { message } : {}) };
  }
  return { label: 'failed', ...(result.message ? { message: result.message } : {}) };
}

function crashMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string')
      return parsed.errorMessage || undefined;
  } catch {
    // not JSON: not shown
  }
  return undefined;
}
