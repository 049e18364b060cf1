import { defineConfig } from 'vite';

// The console is served by the stand at /console/ and embedded in the
// binary: the build must be the same on every machine (CI compares it with
// the committed dist), so no source maps with absolute paths and no
// inline modulepreload polyfill (the CSP forbids inline scripts).
export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
