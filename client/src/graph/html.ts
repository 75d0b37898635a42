/**
 * The page of the graph webview, free of the VS Code API so the panel and the first-paint bench build the same page.
 */

export interface GraphViewHtmlOptions {
  /** A fresh random nonce per page: the only scripts and styles allowed are the ones carrying it. */
  nonce: string;
  /** The webview URI of dist/graphView.js. */
  scriptUri: string;
  /** The webview's `cspSource`. */
  cspSource: string;
}

export function graphViewHtml(options: GraphViewHtmlOptions): string {
  // Nothing remote: scripts and styles only from the extension with this nonce; images only from blobs (PNG export).
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${options.nonce}'`,
    `style-src 'nonce-${options.nonce}'`,
    'img-src blob: data:',
    `font-src ${options.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${options.nonce}">${STYLE}</style>
</head>
<body>
<div id="toolbar" role="toolbar">
  <button id="fit" title="Fit to window">Fit</button>
  <button id="zoom-in" title="Zoom in">+</button>
  <button id="zoom-out" title="Zoom out">−</button>
  <button id="export-svg" title="Save the graph as SVG">Export SVG</button>
  <button id="export-png" title="Save the graph as PNG">Export PNG</button>
  <span id="summary"></span>
</div>
<div id="message" hidden></div>
<div id="canvas" tabindex="0"></div>
<div id="tooltip" role="tooltip" hidden></div>
<script nonce="${options.nonce}" src="${options.scriptUri}"></script>
</body>
</html>`;
}

/** Theme colours only through VS Code's CSS variables, so light, dark and high-contrast themes apply as they change. */
const STYLE = `
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
#toolbar { display: flex; gap: 6px; align-items: center; padding: 6px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#toolbar button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, transparent); padding: 2px 8px; cursor: pointer; }
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
#summary { margin-left: auto; opacity: 0.8; }
#message { padding: 16px; color: var(--vscode-descriptionForeground); }
#canvas { position: absolute; top: 38px; left: 0; right: 0; bottom: 0; overflow: hidden; cursor: grab; outline: none; }
#canvas.panning { cursor: grabbing; }
#canvas svg { transform-origin: 0 0; }
svg text { fill: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: 12px; pointer-events: none; }
.node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-charts-blue); stroke-width: 1.5; }
.node.finally rect { stroke: var(--vscode-charts-purple); stroke-dasharray: 5 3; }
.node.warning rect { stroke: var(--vscode-editorWarning-foreground); stroke-width: 2; }
.node.error rect, .node.cycle rect, .group.cycle > rect { stroke: var(--vscode-errorForeground); stroke-width: 2.5; }
.node { cursor: pointer; }
.node:hover rect, .node:focus rect { stroke: var(--vscode-focusBorder); stroke-width: 2.5; }
.node:focus, .group:focus { outline: none; }
.group > rect { fill: var(--vscode-sideBar-background, transparent); fill-opacity: 0.6; stroke: var(--vscode-editorIndentGuide-activeBackground, var(--vscode-foreground)); stroke-width: 1; }
.group > text { font-weight: bold; }
.edge { fill: none; stroke: var(--vscode-editorLineNumber-foreground); stroke-width: 1.4; }
.edge.cycle { stroke: var(--vscode-errorForeground); stroke-width: 2; }
.arrow { fill: var(--vscode-editorLineNumber-foreground); }
.arrow.cycle { fill: var(--vscode-errorForeground); }
body.vscode-high-contrast .node rect, body.vscode-high-contrast .group > rect { stroke: var(--vscode-contrastBorder); }
body.vscode-high-contrast .node.error rect, body.vscode-high-contrast .node.cycle rect { stroke: var(--vscode-errorForeground); }
.node.status-succeeded rect { stroke: var(--vscode-testing-iconPassed); stroke-width: 2.5; stroke-dasharray: none; }
.node.status-failed rect { stroke: var(--vscode-testing-iconFailed); stroke-width: 3; stroke-dasharray: none; }
.node.status-running rect { stroke: var(--vscode-charts-yellow); stroke-width: 2.5; stroke-dasharray: 6 3; animation: march 0.8s linear infinite; }
.node.status-pending { opacity: 0.75; }
.node.status-skipped { opacity: 0.5; }
.node.status-skipped rect { stroke: var(--vscode-disabledForeground); stroke-dasharray: 2 3; }
.node.status-cancelled rect, .node.status-timed-out rect { stroke: var(--vscode-disabledForeground); stroke-width: 2.5; }
@keyframes march { to { stroke-dashoffset: -18; } }
@media (prefers-reduced-motion: reduce) { .node.status-running rect { animation: none; } }
#tooltip { position: fixed; max-width: 480px; padding: 6px 8px; white-space: pre-wrap; pointer-events: none; z-index: 10;
  color: var(--vscode-editorHoverWidget-foreground); background: var(--vscode-editorHoverWidget-background); border: 1px solid var(--vscode-editorHoverWidget-border); }
`;
