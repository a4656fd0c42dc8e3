import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const here = new URL(".", import.meta.url).pathname;

/** Every source file the widget's entry reaches through relative imports. */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const base = resolve(dirname(file), fileName);
      const found = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((f) => /\.tsx?$/.test(f) && existsSync(f));
      if (found) visit(found);
    }
  };
  visit(entry);
  return [...seen];
}

/** The widget's components and the shared ones it shows (MessageList, Composer, …). */
const components = reachable(join(here, "main.tsx"))
  .filter((file) => file.endsWith(".tsx"))
  .map((file) => relative(here, file));

const LETTER = /\p{L}/u;
const SPOKEN = new Set(["aria-label", "title", "placeholder", "alt", "label", "aria-description"]);

/** Text in JSX and user-facing attributes given as string literals: each should come from the catalogs. */
function literals(source: string): string[] {
  const file = ts.createSourceFile("c.tsx", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTER.test(node.text)) found.push(node.text.trim());
    if (ts.isJsxAttribute(node) && SPOKEN.has(node.name.getText(file))) {
      const value = node.initializer;
      const text = value && ts.isStringLiteral(value) ? value.text : value && ts.isJsxExpression(value) && value.expression && ts.isStringLiteralLike(value.expression) ? value.expression.text : "";
      if (LETTER.test(text)) found.push(`${node.name.getText(file)}="${text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("widget components", () => {
  it("are found, the shared ones too", () => {
    expect(components.length).toBeGreaterThan(10);
    expect(components).toContain("../shared/ui/MessageList.tsx");
  });

  it.each(components)("%s takes every user-facing string from the catalogs", (name) => {
    expect(literals(readFileSync(join(here, name), "utf8"))).toEqual([]);
  });

  it("the check itself finds literals", () => {
    const found = literals('const a = (n: number) => n < 2 && n > 1; export const X = () => <p title="Hej">Hej då {a(1)}<b aria-label={"Stäng"}>×</b></p>;');
    expect(found).toEqual(['title="Hej"', "Hej då", 'aria-label="Stäng"']);
  });
});

describe("the widget's bundle", () => {
  it("never loads the staff pages' strings and code (shared/staff/)", () => {
    const files = reachable(join(here, "main.tsx"));
    expect(files.some((f) => f.endsWith("shared/i18n/sv.ts"))).toBe(true);
    expect(files.filter((f) => f.includes("/shared/staff/"))).toEqual([]);
  });
});
