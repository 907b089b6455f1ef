import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// During `npm run dev` / `npm run preview` the API is proxied to the development stack.
const api = process.env.VSOK_API_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte()],
  build: {
    // Older iPads (iPadOS 15) and Android tablets with a stale Chrome are still in use.
    target: ['es2020', 'safari15', 'chrome90', 'firefox90'],
    // One entry chunk; the dashboards and their chart library (ECharts) are the only
    // dynamic import, fetched when a dashboard is first opened. The browsers above all
    // support modulepreload, so its polyfill would only add bytes.
    modulePreload: { polyfill: false },
    // The dashboards' chunk carries ECharts (about 190 kB gzipped); the entry stays small.
    chunkSizeWarningLimit: 700,
    // Never inline assets as data: URIs (the CSP allows only 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': api } },
  preview: { proxy: { '/api': api } },
});
