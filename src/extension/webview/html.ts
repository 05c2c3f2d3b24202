/**
 * A webview's HTML (the notebook's, the timeline's, the coverage view's): a strict CSP (default-src 'none', scripts by nonce only, no eval,
 * no inline style or script), one stylesheet and one script. Pure, so browser tests use the same page.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** The webview's `cspSource` (in tests: the local server's origin). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Stylesheets after the first (a page that adds its own rules to the notebook's). */
  extraStyleUris?: string[];
  nonce?: string;
  title?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(options: WebviewHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(options.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.styleUri)}">
${(options.extraStyleUris ?? []).map((uri) => `<link rel="stylesheet" href="${attr(uri)}">\n`).join('')}<title>${attr(options.title ?? 'Audit Lens: Query Notebook')}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}
