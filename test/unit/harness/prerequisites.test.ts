import * as assert from 'node:assert/strict';
import { findChromium, MissingPrerequisite } from '../../harness/prerequisites';

describe('test harness prerequisites', () => {
  it('uses CHROME_PATH when it names an existing binary', () => {
    assert.equal(findChromium({ CHROME_PATH: process.execPath }), process.execPath);
  });

  it('says what to do when CHROME_PATH names nothing', () => {
    assert.throws(
      () => findChromium({ CHROME_PATH: '/nonexistent/chromium' }),
      (error: unknown) => error instanceof MissingPrerequisite && /CHROME_PATH is \/nonexistent\/chromium, which does not exist/.test(error.message),
    );
  });
});
