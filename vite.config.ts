import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./apps/web', import.meta.url));
const api = 'http://127.0.0.1:8080';

/** The dashboard (apps/web): `vite` serves it on :5173 against the API on :8080, `vite build` writes apps/web/dist for the server. */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: `${webRoot}/dist`,
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks each route loads (the bench measures the dashboard's initial JS from it).
    manifest: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': api, '/healthz': api },
  },
});
