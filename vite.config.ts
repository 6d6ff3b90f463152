import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineConfig, type PluginOption } from 'vite';

const webRoot = fileURLToPath(new URL('./apps/web', import.meta.url));
const api = 'http://127.0.0.1:8080';

// @vitejs/plugin-react is a dependency of apps/web and installed in its node_modules, not the root's: resolve it from there.
const requireFromWeb = createRequire(new URL('./apps/web/package.json', import.meta.url));
const { default: react } = (await import(pathToFileURL(requireFromWeb.resolve('@vitejs/plugin-react')).href)) as {
  default: () => PluginOption;
};

/** The dashboard (apps/web): `vite` serves it on :5173 against the API on :8080, `vite build` writes apps/web/dist for the server. */
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: `${webRoot}/dist`,
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': api, '/healthz': api },
  },
});
