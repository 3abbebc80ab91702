import { describe, expect, it } from 'vitest';
import { chooseChromium, missingLibrariesProblem } from '../e2e/browser.js';

describe('the Chromium the browser tests drive', () => {
  it('takes CHROMIUM_PATH first, and the npm Chromium when asked for it', () => {
    expect(chooseChromium({ CHROMIUM_PATH: '/opt/chrome/chrome', BILLING_E2E_CHROMIUM: 'npm' })).toEqual({
      source: 'CHROMIUM_PATH',
      executablePath: '/opt/chrome/chrome',
    });
    expect(chooseChromium({ BILLING_E2E_CHROMIUM: 'npm' })).toEqual({ source: 'npm' });
  });

  it('names the missing shared libraries and the apt-get command that installs them', () => {
    const ldd = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibnss3.so => not found',
      '\tlibnssutil3.so => not found',
      '\tlibnspr4.so => not found',
      '\tlibexpat.so.1 => /lib/x86_64-linux-gnu/libexpat.so.1 (0x00007f22)',
    ].join('\n');
    expect(missingLibrariesProblem('/tmp/x/chromium', ldd)).toBe(
      'The npm Chromium (/tmp/x/chromium) needs shared libraries that this machine lacks: libnss3.so, ' +
        'libnssutil3.so, libnspr4.so. Install them with `apt-get update && apt-get install -y libnss3 libnspr4` ' +
        '(or install Debian chromium, or set CHROMIUM_PATH).',
    );
    expect(missingLibrariesProblem('/tmp/x/chromium', '\tlibexpat.so.1 => /lib/libexpat.so.1 (0x1)')).toBeUndefined();
  });
});
