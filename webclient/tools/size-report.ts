import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

interface ChunkLike {
  type: "chunk";
  name: string;
  isEntry: boolean;
  code: string;
  imports: string[];
}

/**
 * Prints the total size, raw and gzipped, of the JavaScript the widget page loads up front
 * (its entry chunk and every chunk it imports statically), so size creep shows in each build.
 */
export function sizeReport(entry: string): Plugin {
  let line = "";
  return {
    name: "kvarter-size-report",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type === "chunk") chunks.set(file, item as unknown as ChunkLike);
      }
      const start = [...chunks.entries()].find(([, c]) => c.isEntry && c.name === entry);
      if (!start) return;
      const seen = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const dep of chunks.get(file)?.imports ?? []) visit(dep);
      };
      visit(start[0]);
      let raw = 0;
      let gzip = 0;
      for (const file of seen) {
        const code = chunks.get(file)?.code ?? "";
        raw += Buffer.byteLength(code);
        gzip += gzipSync(code, { level: 9 }).length;
      }
      const kb = (n: number) => (n / 1000).toFixed(2);
      line = `${entry} app JS (${seen.size} chunks): ${kb(raw)} kB │ gzip: ${kb(gzip)} kB`;
    },
    closeBundle() {
      if (line) console.log(line);
    },
  };
}
