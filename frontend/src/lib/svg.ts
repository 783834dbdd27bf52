// Diagram SVG from the backend (go-graphviz): made safe to inline, and the
// model logical id of a clicked node.

const DROP = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed']);

/** Parses an SVG document and returns its root element with scripts, event
 * handler attributes and javascript: links removed, or null if it is not SVG.
 * The diagram only shows names from a template, but a template is untrusted
 * input: defence in depth costs a few lines. */
export function sanitizeSvg(text: string, parser: DOMParser = new DOMParser()): SVGSVGElement | null {
  const doc = parser.parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.nodeName.toLowerCase() !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  const walk = (el: Element) => {
    for (const child of [...el.children]) {
      if (DROP.has(child.nodeName.toLowerCase())) {
        child.remove();
        continue;
      }
      walk(child);
    }
    for (const a of [...el.attributes]) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) el.removeAttribute(a.name);
      else if ((n === 'href' || n === 'xlink:href') && /^\s*javascript:/i.test(a.value)) el.removeAttribute(a.name);
    }
  };
  walk(root);
  // Size comes from the container, the viewBox keeps the aspect.
  const w = parseFloat(root.getAttribute('width') ?? '');
  const h = parseFloat(root.getAttribute('height') ?? '');
  if (!root.getAttribute('viewBox') && w && h) root.setAttribute('viewBox', `0 0 ${w} ${h}`);
  root.removeAttribute('width');
  root.removeAttribute('height');
  return root as unknown as SVGSVGElement;
}

const GENERATED = /^(a_)?(node|edge|clust|graph)\d+$/;

/** Reverses internal/diagram's NodeID: "n-" + the id with every byte outside
 * [A-Za-z0-9] written as _XX (hex). Returns null for other ids. */
export function decodeNodeId(svgId: string): string | null {
  if (!svgId.startsWith('n-')) return null;
  const bytes: number[] = [];
  const s = svgId.slice(2);
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '_' && /^[0-9A-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[A-Za-z0-9]/.test(s[i])) {
      bytes.push(s.charCodeAt(i));
    } else {
      return null;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The model id of a graphviz node group: internal/diagram's NodeID in the
 * id attribute, another id the diagram sets, else the <title> (graphviz
 * writes the node name there). */
export function nodeIdOf(g: Element): string {
  const data = g.getAttribute('data-id');
  if (data) return data;
  const id = g.getAttribute('id') ?? '';
  const decoded = decodeNodeId(id);
  if (decoded !== null) return decoded;
  if (id && !GENERATED.test(id)) return id;
  const title = [...g.children].find((c) => c.nodeName.toLowerCase() === 'title');
  return title?.textContent?.trim() ?? '';
}

/** The node group an event target is inside, if any. */
export function nodeGroupOf(target: EventTarget | null): Element | null {
  let el = target instanceof Element ? target : null;
  while (el && el.nodeName.toLowerCase() !== 'svg') {
    if (el.nodeName.toLowerCase() === 'g' && el.classList.contains('node')) return el;
    el = el.parentElement;
  }
  return null;
}
