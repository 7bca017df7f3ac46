// The thread that builds a snapshot (server/sync/snapshot-builder.ts), loaded through tsx's
// loader as bin/uplift.js loads the app: the store's own thread only reads pages from PostgreSQL.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-builder.ts');
