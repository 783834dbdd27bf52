import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The built assets are embedded in the Go binary (frontend/embed.go) and
// served by Wails on the desktop and by `samthreat serve` in the browser.
// In development, `npm run dev` proxies /api to a running `samthreat serve`
// (SAMTHREAT_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [svelte()],
  base: './',
  build: {
    outDir: 'dist',
    // dist/ is emptied on each build; public/.gitkeep puts back the
    // placeholder that keeps go:embed compiling on a fresh clone.
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': process.env.SAMTHREAT_API ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
