/**
 * The script of the graph webview (bundled on its own for the browser, dist/graphView.js): draws what the extension
 * posts, zooms and pans, shows a node's details on hover, asks the extension to reveal a node's definition on click
 * or Enter, and exports the picture with the theme's colours resolved.
 */
import type { GraphRequest } from '../../../server/src/protocol';
import { graphSvg, nodeDetails, type RunStatus } from './svg';

// The project compiles against ES2022 without the DOM library (the server must not see DOM globals); the few browser
// APIs this script uses are declared here, loosely, for this file only.
declare const document: any;
declare const window: any;
declare const Image: any;
declare const Blob: any;
declare const URL: any;
declare const XMLSerializer: any;
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): any; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
const canvas = document.getElementById('canvas');
const message = document.getElementById('message');
const summary = document.getElementById('summary');
const tooltip = document.getElementById('tooltip');

let result: GraphRequest.Result | undefined;
/** For a run's graph: each task's status, and the run's own state. */
let status: RunStatus | undefined;
let runState: string | undefined;
let firstDraw = !vscode.getState()?.view;
/** Zoom and pan survive redraws (the graph follows edits) and the view being hidden. */
let view: { scale: number; x: number; y: number; fitted: boolean } = vscode.getState()?.view ?? { scale: 1, x: 0, y: 0, fitted: false };

function apply(): void {
  const svg = canvas.querySelector('svg');
  if (svg) svg.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
  vscode.setState({ view });
}

function fit(): void {
  const layout = result?.layout;
  if (!layout) return;
  const w = canvas.clientWidth || 800;
  const h = canvas.clientHeight || 600;
  const scale = Math.min(2, Math.max(0.05, Math.min(w / Math.max(layout.width, 1), h / Math.max(layout.height, 1))));
  view = { scale, x: (w - layout.width * scale) / 2, y: Math.max(0, (h - layout.height * scale) / 2), fitted: true };
  apply();
}

function zoomAt(factor: number, cx: number, cy: number): void {
  const scale = Math.min(8, Math.max(0.05, view.scale * factor));
  view = { scale, x: cx - ((cx - view.x) * scale) / view.scale, y: cy - ((cy - view.y) * scale) / view.scale, fitted: false };
  apply();
}

function render(): void {
  const graph = result?.graph;
  if (!graph || !result?.layout) {
    canvas.innerHTML = '';
    message.hidden = false;
    message.textContent = result?.error ?? result?.layoutError ?? 'Loading…';
    summary.textContent = graph ? `${graph.nodes.length} tasks` : '';
    return;
  }
  message.hidden = true;
  const problems = graph.nodes.filter((n) => n.problems.length || n.inCycle).length;
  summary.textContent = `${graph.kind} ${graph.name ?? ''}${runState ? ` ${runState}` : ''}: ${graph.nodes.length} tasks, ${graph.edges.length} edges${problems ? `, ${problems} with problems` : ''}`;
  canvas.innerHTML = graphSvg(graph, result.layout, status);
  // Fitted until the user zooms or pans; after that an edit keeps their view.
  if (view.fitted || firstDraw) fit();
  else apply();
  firstDraw = false;
}

function nodeAt(target: any): any {
  return target?.closest?.('.node, .group');
}

window.addEventListener('message', (event: any) => {
  const m = event.data;
  if (m?.type !== 'graph') return;
  result = m.result;
  status = m.status;
  runState = m.run;
  render();
});

canvas.addEventListener('click', (event: any) => {
  const node = nodeAt(event.target);
  if (node && !moved) vscode.postMessage({ type: 'reveal', id: node.getAttribute('data-id') });
});
canvas.addEventListener('keydown', (event: any) => {
  const node = nodeAt(event.target);
  if (node && (event.key === 'Enter' || event.key === ' ')) {
    event.preventDefault();
    vscode.postMessage({ type: 'reveal', id: node.getAttribute('data-id') });
  }
});

canvas.addEventListener('mousemove', (event: any) => {
  const node = nodeAt(event.target);
  const info = node && result?.graph?.nodes.find((n) => n.id === node.getAttribute('data-id'));
  if (!info || dragging) {
    tooltip.hidden = true;
    return;
  }
  tooltip.textContent = nodeDetails(info, status?.[info.id]).join('\n');
  tooltip.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
  const y = Math.min(event.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8);
  tooltip.style.left = `${Math.max(0, x)}px`;
  tooltip.style.top = `${Math.max(0, y)}px`;
});
canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));

canvas.addEventListener(
  'wheel',
  (event: any) => {
    event.preventDefault();
    const rect = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
  },
  { passive: false },
);

let dragging: { x: number; y: number; vx: number; vy: number } | undefined;
let moved = false;
canvas.addEventListener('mousedown', (event: any) => {
  if (event.button !== 0) return;
  dragging = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
  moved = false;
});
window.addEventListener('mousemove', (event: any) => {
  if (!dragging) return;
  const dx = event.clientX - dragging.x;
  const dy = event.clientY - dragging.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) {
    moved = true;
    canvas.classList.add('panning');
  }
  view = { ...view, x: dragging.vx + dx, y: dragging.vy + dy, fitted: false };
  apply();
});
window.addEventListener('mouseup', () => {
  dragging = undefined;
  canvas.classList.remove('panning');
});
window.addEventListener('resize', () => {
  if (view.fitted) fit();
});

const centre = () => ({ x: (canvas.clientWidth || 800) / 2, y: (canvas.clientHeight || 600) / 2 });
document.getElementById('fit').addEventListener('click', fit);
document.getElementById('zoom-in').addEventListener('click', () => zoomAt(1.25, centre().x, centre().y));
document.getElementById('zoom-out').addEventListener('click', () => zoomAt(0.8, centre().x, centre().y));

/** Properties whose theme values (CSS variables) must be written into an exported picture. */
const PAINT = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'fill-opacity', 'font-family', 'font-size', 'font-weight'];

/** A standalone copy of the drawn SVG: theme colours resolved, background painted, zoom and pan dropped. */
function standaloneSvg(): string | undefined {
  const svg = canvas.querySelector('svg');
  if (!svg) return undefined;
  const copy = svg.cloneNode(true);
  copy.removeAttribute('style');
  const originals = svg.querySelectorAll('*');
  const copies = copy.querySelectorAll('*');
  for (let i = 0; i < originals.length; i++) {
    const style = window.getComputedStyle(originals[i]);
    copies[i].setAttribute('style', PAINT.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';'));
  }
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', window.getComputedStyle(document.body).backgroundColor);
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

document.getElementById('export-svg').addEventListener('click', () => {
  const data = standaloneSvg();
  if (data) vscode.postMessage({ type: 'export', format: 'svg', data });
});
document.getElementById('export-png').addEventListener('click', () => {
  const data = standaloneSvg();
  const layout = result?.layout;
  if (!data || !layout) return;
  const url = URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' }));
  const image = new Image();
  image.onload = () => {
    // Twice the size, so the PNG stays sharp on high-density screens and in documents.
    const c = document.createElement('canvas');
    c.width = layout.width * 2;
    c.height = layout.height * 2;
    const ctx = c.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(image, 0, 0);
    URL.revokeObjectURL(url);
    vscode.postMessage({ type: 'export', format: 'png', data: c.toDataURL('image/png') });
  };
  image.src = url;
});

render();
vscode.postMessage({ type: 'ready' });
