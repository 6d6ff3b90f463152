import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('./apps/web', import.meta.url));
const api = 'http://127.0.0.1:8080';

/** Writes `<asset>.br` and `<asset>.gz` beside each built JS/CSS/SVG file; the server sends them to clients that accept them. */
function precompressAssets(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'precompress-assets',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? `${webRoot}/dist`;
      const files = Object.keys(bundle).filter((name) => /\.(js|css|svg)$/.test(name));
      await Promise.all(
        files.map(async (name) => {
          const file = path.join(dir, name);
          const body = await readFile(file);
          await writeFile(`${file}.br`, await br(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }));
          await writeFile(`${file}.gz`, await gz(body, { level: 9 }));
        }),
      );
    },
  };
}

/** The dashboard (apps/web): `vite` serves it on :5173 against the API on :8080, `vite build` writes apps/web/dist for the server. */
export default defineConfig({
  root: webRoot,
  plugins: [react(), precompressAssets()],
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
