import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates the committed SQL migrations from the schema: `npm run db:generate`. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/persistence/schema/index.ts',
  out: './src/persistence/migrations',
});
