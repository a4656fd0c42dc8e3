import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

/** The widget's JavaScript budget: embed loader + every chunk the widget page can load, gzipped. */
export const WIDGET_JS_BUDGET_KB = 60;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
}

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * Measures what a young person downloads for the widget: dist/widget.js plus the widget page's
 * entry and everything it imports, statically or on demand (from dist/.vite/manifest.json,
 * written by the app build). Prints the total and fails the build above the budget.
 */
export function widgetBudget(dist: string, entry = "widget/index.html", budgetKb = WIDGET_JS_BUDGET_KB): Plugin {
  return {
    name: "kvarter-widget-budget",
    apply: "build",
    closeBundle() {
      const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
      const files = new Set<string>();
      const visit = (key: string) => {
        const chunk = manifest[key];
        if (!chunk || files.has(chunk.file)) return;
        files.add(chunk.file);
        for (const dep of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(dep);
      };
      visit(entry);
      if (files.size === 0) throw new Error(`widget budget: ${entry} is not in the manifest`);
      const loader = gz(join(dist, "widget.js"));
      let app = 0;
      for (const file of files) if (file.endsWith(".js")) app += gz(join(dist, file));
      const kb = (n: number) => (n / 1000).toFixed(2);
      const total = loader + app;
      const line = `widget JS total, gzip: ${kb(total)} kB (loader ${kb(loader)} + app ${kb(app)}) │ budget ${budgetKb} kB`;
      if (total > budgetKb * 1000) throw new Error(`${line} — over budget`);
      console.log(line);
    },
  };
}
