import { describe } from 'vitest';

import { defineReviewSuite } from './review-suite';
import { defineSyncSuite } from './sync-suite';

// Runs the whole suite against a real PostgreSQL when DATABASE_URL names one: each run creates a
// database of its own there (uplift_test_…) and drops it afterwards. Without DATABASE_URL the
// suite is reported as skipped under a name that says why — never as passed.
const url = process.env.DATABASE_URL;

describe.skipIf(!url)(
  url
    ? 'the central store on PostgreSQL at DATABASE_URL'
    : 'the central store on PostgreSQL (skipped: set DATABASE_URL to run it)',
  () => {
    defineSyncSuite('postgres');
  },
);

describe.skipIf(!url)(
  url
    ? 'the review workflow the central store enforces, on PostgreSQL at DATABASE_URL'
    : 'the review workflow the central store enforces, on PostgreSQL (skipped: set DATABASE_URL to run it)',
  () => {
    defineReviewSuite('postgres');
  },
);
