import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { earlyPages } from './early-pages.js';

// During `npm run dev` / `npm run preview` the API is proxied to the development stack.
const api = process.env.VSOK_API_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    svelte(),
    // early.js, index.html's first script: resumes the session and fetches the opened
    // page's code with the app's own (early-pages.js).
    earlyPages(),
    // The service worker (Workbox, generated at build time): the app opens with the network
    // off. It precaches the shell and the code of every page a teacher uses (the entry
    // chunk, each page's chunk, the dictionaries, the upload client, the styles); the dashboards' chunk (ECharts, ~200 KB gzip,
    // not a teacher's page) is kept after its first use instead. API answers are never
    // cached here: the sheets and instruments a user opened are kept per user in IndexedDB
    // by the app itself (src/features/forms/), which removes them on sign-out.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: false, // registered from src/shared/sw.js (no inline script: CSP)
      manifest: false,
      workbox: {
        globPatterns: ['index.html', 'early.js', 'favicon.svg', 'assets/*.{js,css}'],
        globIgnores: ['assets/Dashboard-*'],
        navigateFallback: '/index.html',
        // Everything that is not the SPA: the API, files, the parents' survey (its own page).
        navigateFallbackDenylist: [/^\/api\//, /^\/_files\//, /^\/_derived\//, /^\/s\//, /^\/survey\//],
        // A new version takes over at once; the page reloads when it does (src/shared/sw.js),
        // and the old precache is dropped only then, so old code never asks for deleted chunks.
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /^\/assets\/Dashboard-/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: 'vsok-lazy-code', expiration: { maxEntries: 8 } },
          },
        ],
      },
    }),
  ],
  build: {
    // Older iPads (iPadOS 15) and Android tablets with a stale Chrome are still in use.
    target: ['es2020', 'safari15', 'chrome90', 'firefox90'],
    // The entry chunk holds the shell and the sign-in page; every other page is a dynamic
    // import of its own (src/App.svelte), the dashboards' with their chart library (ECharts).
    // The browsers above all support modulepreload, so its polyfill would only add bytes.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            // The sheet's page and the pieces it shares with the experts' remote view in one
            // chunk (one script and one stylesheet), not two of each: on a slow line a
            // browser asks for six files at a time over HTTP/1.1, and a file that waits for
            // its turn waits out the line's latency once more.
            {
              name: 'sheet',
              test: /src[\\/](features[\\/]forms[\\/](Form|AreaNav|SinceReturn|History|Scores|Indicator|Item|Choice|Help|EvidenceSlot|EvidenceReads|OutboxThumb|ConflictDialog|SaveState)\.svelte|features[\\/]forms[\\/]evidence\.svelte\.js|shared[\\/]components[\\/]BackLink\.svelte)/,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
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
