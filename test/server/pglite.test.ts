import { describe } from 'vitest';

import { defineReviewSuite } from './review-suite';
import { defineSyncSuite } from './sync-suite';

describe('the central store on embedded PGlite', () => {
  defineSyncSuite('pglite');
});

describe('the review workflow the central store enforces, on embedded PGlite', () => {
  defineReviewSuite('pglite');
});
