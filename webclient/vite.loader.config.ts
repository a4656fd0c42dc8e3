import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The embed loader, dist/widget.js: one small IIFE with no framework, built after the apps. */
export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
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
