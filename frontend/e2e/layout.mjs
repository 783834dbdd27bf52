// Text layout checks of the diagram as the browser draws it: Graphviz lays
// labels out with its own font metrics, the browser draws them with its own
// fonts, and where the two disagree text runs into other text or out of the
// box it belongs to. diagramTextProblems runs inside the page (page.evaluate)
// and returns one line per problem: overlapping text boxes, and text not
// inside the smallest filled shape (node outline, badge, legend cell) that
// holds its start.

/** @returns {{texts: number, minFontPx: number, problems: string[]}} */
export function diagramTextProblems(selector) {
  const svg = document.querySelector(selector);
  if (!svg) return { texts: 0, minFontPx: 0, problems: [`no ${selector}`] };
  const TOL = 0.5; // px, rounding of the drawn glyph boxes
  const where = (el) => {
    const g = el.closest('g.node, g.edge, g.cluster');
    if (!g) return 'legend';
    const title = g.querySelector(':scope > title')?.textContent ?? g.id;
    return `${g.classList[0]} ${title}`;
  };
  const texts = [...svg.querySelectorAll('text')]
    .filter((t) => t.textContent.replace(/[\s\u00a0]/g, '') !== '')
    .map((t) => {
      const r = t.getBoundingClientRect();
      // The box is the line box (ascent to descent); glyphs of two lines may
      // share a pixel row without touching: trim the vertical extent a little.
      const trim = r.height * 0.15;
      return { el: t, text: t.textContent.trim(), x1: r.left, x2: r.right, y1: r.top + trim, y2: r.bottom - trim, r };
    });
  const problems = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i];
      const b = texts[j];
      const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
      const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
      if (w > TOL && h > TOL) problems.push(`overlap: "${a.text}" (${where(a.el)}) and "${b.text}" (${where(b.el)}) by ${w.toFixed(1)}px`);
    }
  }
  // Filled shapes: node outlines, badges, legend cells, cluster boxes.
  const shapes = [...svg.querySelectorAll('path, polygon, ellipse, rect')]
    .filter((s) => {
      const fill = s.getAttribute('fill');
      return fill && fill !== 'none' && fill !== 'transparent' && !s.closest('g.edge');
    })
    .map((s) => ({ el: s, r: s.getBoundingClientRect() }))
    .filter((s) => s.r.width > 0 && s.r.height > 0);
  const area = (r) => r.width * r.height;
  for (const t of texts) {
    if (t.el.closest('g.edge')) continue; // edge labels float free
    const group = t.el.closest('g.node, g.cluster, svg');
    const cx = t.r.left + Math.min(2, t.r.width / 2);
    const cy = t.r.top + t.r.height / 2;
    const holders = shapes.filter(
      (s) => group.contains(s.el) && s.r.left - TOL <= cx && cx <= s.r.right + TOL && s.r.top - TOL <= cy && cy <= s.r.bottom + TOL,
    );
    if (!holders.length) continue;
    const s = holders.reduce((a, b) => (area(b.r) < area(a.r) ? b : a));
    const out = Math.max(s.r.left - t.r.left, t.r.right - s.r.right);
    if (out > TOL) problems.push(`clipped: "${t.text}" (${where(t.el)}) runs ${out.toFixed(1)}px out of its ${s.el.nodeName}`);
  }
  // The smallest node text as drawn, in CSS pixels.
  let minFontPx = Infinity;
  for (const t of texts) {
    if (!t.el.closest('g.node')) continue;
    const size = parseFloat(getComputedStyle(t.el).fontSize);
    const scale = t.el.getScreenCTM()?.a ?? 1;
    minFontPx = Math.min(minFontPx, size * scale);
  }
  return { texts: texts.length, minFontPx: Number.isFinite(minFontPx) ? Math.round(minFontPx * 10) / 10 : 0, problems };
}
