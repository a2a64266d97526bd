/**
 * Mocha root hook for `npm run test:bench`: installs the benchmark's peer libraries (the package in
 * bench/) before the suites load them, on first use, as `npm run bench` does.
 */
import { ensureBenchPackage } from '../../scripts/bench/peers/benchPackage';

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(10 * 60_000);
    await ensureBenchPackage();
  },
};
