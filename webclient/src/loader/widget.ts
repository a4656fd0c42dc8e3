/**
 * Kvarter embed loader (dist/widget.js), its own tiny build with no framework:
 *   <script src="https://HOST/widget.js" data-room="ostersund" data-lang="sv" async></script>
 * Injects a real <button> launcher and a sandboxed iframe with the widget. Styles go through
 * element.style only, so a strict host CSP (no inline <style>) works. The host and the iframe
 * talk through one versioned envelope with explicit target origins; the token never leaves
 * the iframe.
 */
import { install } from "./install";

install(window);
