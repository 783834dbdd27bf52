// Domain text carries no markup; `backticks` mark code (rule remediations).
// This splits it so the view can render code spans without any HTML.
export interface Span {
  code: boolean;
  text: string;
}

export function codeSpans(s: string): Span[] {
  const out: Span[] = [];
  const parts = s.split('`');
  // An odd number of backticks leaves the last one literal.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  for (let i = 0; i < parts.length; i++) {
    if (i >= closed) {
      out.push({ code: false, text: '`' + parts[i] });
      continue;
    }
    if (parts[i] !== '') out.push({ code: i % 2 === 1, text: parts[i] });
  }
  // Merge neighbouring text spans (after a literal backtick).
  return out.reduce<Span[]>((acc, sp) => {
    const last = acc[acc.length - 1];
    if (last && !last.code && !sp.code) last.text += sp.text;
    else acc.push({ ...sp });
    return acc;
  }, []);
}
