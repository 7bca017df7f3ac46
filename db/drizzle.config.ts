import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema',
  out: process.env.UPLIFT_MIGRATIONS_OUT ?? './db/migrations',
});
