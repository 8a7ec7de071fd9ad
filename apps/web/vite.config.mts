import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const repo = resolve(here, '../..');

/**
 * The browser app: React + TypeScript, bundled by Vite into apps/web/dist, which the platform serves.
 * `@trialstream/domain` is the server's own rule library, compiled into the bundle: one source of rules.
 */
export default defineConfig({
  root: here,
  base: '/',
  resolve: { alias: { '@trialstream/domain': resolve(repo, 'libs/domain/src') } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
});
