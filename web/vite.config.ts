import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** The dashboard: built into web/dist, served by local/dashboard.ts beside the API (same origin). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite web` during development: the API of a running `npm start`.
    proxy: { '/v1': process.env.BILLING_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
