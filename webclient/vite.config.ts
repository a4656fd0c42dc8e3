import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig } from "vitest/config";
import { precompress } from "./tools/precompress.ts";
import { sizeReport } from "./tools/size-report.ts";

const src = fileURLToPath(new URL("./src", import.meta.url));
const dist = resolve(src, "../dist");

/**
 * The three apps and the demo host page, as one multi-page build into dist/ (served by the
 * Python server at the site root). The embed loader has its own build: vite.loader.config.ts.
 */
export default defineConfig({
  root: src,
  base: "/",
  publicDir: false,
  // The root is src/, so keep Vite's and vitest's cache out of it.
  cacheDir: resolve(src, "../node_modules/.vite"),
  plugins: [preact({ devToolsEnabled: false, prerender: { enabled: false } }), sizeReport("widget"), precompress(dist)],
  build: {
    outDir: dist,
    emptyOutDir: true,
    // Inline nothing as data: URLs or <style>: the server's CSP allows 'self' only.
    assetsInlineLimit: 0,
    // dist/.vite/manifest.json: what each page loads, for the widget's size budget (vite.loader.config.ts).
    manifest: true,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Readable chunk names; the supervisor page loads socket.io and the realtime code only
        // on its notices page. The staff-only shared code (the HTTP API, login form, language
        // switch, connection banner, reason texts) stays out of kvarter-ui, which the widget loads.
        codeSplitting: {
          groups: [
            { name: "preact", test: /node_modules[\\/]preact[\\/]/ },
            { name: "kvarter-ui", test: /src[\\/]shared[\\/](i18n[\\/]|ui[\\/](?!(Banner|LangSwitch|LoginForm|reasons)\.))/ },
            { name: "kvarter-realtime", test: /src[\\/]shared[\\/](socket|store|protocol)[\\/]/ },
          ],
        },
      },
      input: {
        widget: resolve(src, "widget/index.html"),
        console: resolve(src, "console/index.html"),
        supervisor: resolve(src, "supervisor/index.html"),
        demo: resolve(src, "demo/index.html"),
      },
    },
  },
  server: {
    // `npx vite` for development against a local server on :8080.
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/socket.io": { target: "http://127.0.0.1:8080", ws: true },
      "/widget.js": "http://127.0.0.1:8080",
    },
  },
  test: {
    root: src,
    include: ["**/*.test.ts", "**/*.test.tsx"],
    environment: "node",
  },
});
