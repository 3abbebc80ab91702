import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard (index.html, admin key) and the customer portal (portal.html, a signed link): built into
 * web/dist, served by local/dashboard.ts beside the API (same origin).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 300,
    rollupOptions: {
      input: { index: `${root}index.html`, portal: `${root}portal.html` },
    },
  },
  server: {
    // `npx vite web` during development: the API of a running `npm start`.
    proxy: { '/v1': process.env.BILLING_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
