import { defineConfig } from 'drizzle-kit';

/** The central store's migrations (PostgreSQL dialect); the app's SQLite ones are in db/. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: process.env.UPLIFT_SERVER_MIGRATIONS_OUT ?? './server/db/migrations',
});
