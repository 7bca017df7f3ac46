import { describe } from 'vitest';

import { defineSyncSuite } from './sync-suite';

describe('the central store on embedded PGlite', () => {
  defineSyncSuite('pglite');
});
