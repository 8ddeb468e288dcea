// Where the benchmark types: positions spread evenly through a document, where people type.
//
// Typing model: one character at the end of the last value on a line (`Port: 80` -> `Port:
// 80x`, `"tcp",` -> `"tcpx",`); on a line that only opens a block (`Properties:`, `"Tags": [`)
// the key is edited instead (`Propertiesx:`). Each character is inserted and then deleted, so
// the document keeps its size. These edits keep the document well-formed, as most keystrokes
// do. `brokenOffsets` are the same lines at their end, where a quote character breaks the
// syntax (an unclosed string), to time the fallback for broken documents separately.

/** @param {string} text @param {number} count @param {'yaml'|'json'|'hcl'} syntax */
export function typingOffsets(text, count, syntax) {
  /** @type {{start: number, line: string}[]} */
  const lines = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end).replace(/\r$/, '');
    const content = line.trim();
    // Lines that are only brackets or comments have nothing to type into.
    if (content && !/^[\]}),[{]*$/.test(content) && !content.startsWith('#')) lines.push({ start, line });
    if (nl < 0) break;
    start = nl + 1;
  }
  const offsets = [];
  const brokenOffsets = [];
  for (let i = 0; i < count && lines.length; i++) {
    const { start: lineStart, line } =
      lines[Math.min(lines.length - 1, Math.floor(((i + 0.5) * lines.length) / count))];
    const trimmed = line.replace(/\s+$/, '');
    brokenOffsets.push(lineStart + trimmed.length);
    let at;
    if (syntax === 'hcl') {
      // HCL: inside the block type on a line that opens a block (`ingress {` -> `ingressx {`),
      // else at the end of the value, inside its closing quote or bracket.
      at = trimmed.endsWith('{')
        ? line.length - line.trimStart().length + 1
        : trimmed.replace(/[\]}"]+$/, '').length;
    } else if (syntax === 'json') {
      // Inside the last string on the line (before its closing quote), else after the value.
      const last = trimmed.lastIndexOf('"');
      at = last > 0 ? last : trimmed.replace(/,$/, '').length;
    } else {
      // At the end of the value, inside closing quotes and brackets; on a block key line
      // (`Key:`), inside the key.
      const inner = trimmed.replace(/[\]}'"]+$/, '');
      at = trimmed.endsWith(':') ? trimmed.length - 1 : inner.length;
    }
    offsets.push(lineStart + at);
  }
  return { offsets, brokenOffsets };
}
