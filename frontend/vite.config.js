import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// During `npm run dev` / `npm run preview` the API is proxied to the development stack.
const api = process.env.VSOK_API_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte()],
  build: {
    // Older iPads (iPadOS 15) and Android tablets with a stale Chrome are still in use.
    target: ['es2020', 'safari15', 'chrome90', 'firefox90'],
    // One entry chunk, no dynamic imports: the preload polyfill would only add bytes.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs (the CSP allows only 'self').
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { proxy: { '/api': api } },
  preview: { proxy: { '/api': api } },
});
