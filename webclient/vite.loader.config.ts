import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { precompress } from "./tools/precompress.ts";
import { widgetBudget } from "./tools/size-budget.ts";

const dist = fileURLToPath(new URL("./dist", import.meta.url));

/**
 * The embed loader, dist/widget.js: one small IIFE with no framework, built after the apps.
 * Then the widget's whole JavaScript (loader + app) is measured against its budget.
 */
export default defineConfig({
  publicDir: false,
  plugins: [widgetBudget(dist), precompress(dist)],
  build: {
    outDir: dist,
    emptyOutDir: false,
    target: "es2019",
    minify: true,
    lib: {
      entry: fileURLToPath(new URL("./src/loader/widget.ts", import.meta.url)),
      formats: ["iife"],
      name: "KvarterLoader",
      fileName: () => "widget.js",
    },
  },
});
