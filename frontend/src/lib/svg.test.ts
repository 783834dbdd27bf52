// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { decodeNodeId, nodeGroupOf, nodeIdOf, sanitizeSvg } from './svg';

describe('decodeNodeId (inverse of internal/diagram NodeID)', () => {
  const cases: [string, string | null][] = [
    ['n-getActivity', 'getActivity'],
    ['n-external_3As3', 'external:s3'],
    ['n-GET_20_2Factivities_2F_7Bid_7D', 'GET /activities/{id}'],
    ['n-caf_C3_A9', 'café'],
    ['node1', null],
    ['n-bad-dash', null],
  ];
  for (const [id, want] of cases) it(id, () => expect(decodeNodeId(id)).toBe(want));
});

const SVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200pt" height="100pt" viewBox="0 0 200 100">
  <script>alert(1)</script>
  <g id="graph0" class="graph" onload="alert(2)">
    <g id="n-publishToIoT" class="node"><title>publishToIoT</title><a xlink:href="javascript:alert(3)"><polygon points="0,0 1,1"/></a><text>publishToIoT</text></g>
    <g id="node2" class="node"><title>getActivity</title><ellipse cx="1" cy="1" rx="1" ry="1"/></g>
    <foreignObject><div>x</div></foreignObject>
  </g>
</svg>`;

describe('sanitizeSvg', () => {
  const el = sanitizeSvg(SVG)!;
  it('keeps the drawing and its viewBox, drops the fixed size', () => {
    expect(el).not.toBeNull();
    expect(el.getAttribute('viewBox')).toBe('0 0 200 100');
    expect(el.getAttribute('width')).toBeNull();
    expect(el.querySelectorAll('g.node').length).toBe(2);
  });
  it('removes scripts, foreignObject, event handlers and javascript: links', () => {
    const out = el.outerHTML;
    expect(out).not.toContain('<script');
    expect(out).not.toContain('foreignObject');
    expect(out).not.toContain('onload');
    expect(out).not.toContain('javascript:');
  });
  it('refuses what is not SVG', () => {
    expect(sanitizeSvg('<html><body>hi</body></html>')).toBeNull();
  });
});

describe('nodeIdOf / nodeGroupOf', () => {
  const el = sanitizeSvg(SVG)!;
  const [a, b] = [...el.querySelectorAll('g.node')];
  it('reads NodeID ids and falls back to the title', () => {
    expect(nodeIdOf(a)).toBe('publishToIoT');
    expect(nodeIdOf(b)).toBe('getActivity');
  });
  it('finds the node group of a click target inside it', () => {
    expect(nodeGroupOf(a.querySelector('polygon'))).toBe(a);
    expect(nodeGroupOf(el)).toBeNull();
  });
});
