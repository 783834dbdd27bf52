export function format(s: string): string {
  switch (s.length) {
    case 0:
      return '';
    case 1:
      return s;
    default:
      return s.trim();
  }
}
