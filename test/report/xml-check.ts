/**
 * A tiny XML well-formedness checker for the chart tests (written here, no regular expressions
 * over markup): one root element, every start tag closed in order, attributes `name="value"` or
 * `name='value'` without duplicates, no raw `<` in values, and `&` only as one of the five
 * predefined entities or a numeric character reference (XML 1.0 §2.1, §3.1, §4.6).
 * Returns the element names in document order; throws with the offset of the first problem.
 */
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const ENTITIES = new Set(["amp", "lt", "gt", "quot", "apos"]);

export function checkXml(text: string): string[] {
  const stack: string[] = [];
  const elements: string[] = [];
  let i = 0;
  let rootClosed = false;
  const fail = (why: string): never => {
    throw new Error(
      `not well-formed at ${i}: ${why} near ${JSON.stringify(text.slice(Math.max(0, i - 30), i + 30))}`,
    );
  };
  const readName = (): string => {
    const start = i;
    if (!NAME_START.test(text[i] ?? "")) fail("expected a name");
    while (i < text.length && NAME_CHAR.test(text[i] ?? "")) i++;
    return text.slice(start, i);
  };
  const skipSpace = (): boolean => {
    const start = i;
    while (i < text.length && " \t\r\n".includes(text[i] ?? "")) i++;
    return i > start;
  };
  const checkReference = (): void => {
    // text[i] === "&"
    const end = text.indexOf(";", i);
    if (end < 0) fail("unterminated reference");
    const ref = text.slice(i + 1, end);
    if (!(ENTITIES.has(ref) || /^#[0-9]+$/.test(ref) || /^#x[0-9A-Fa-f]+$/.test(ref)))
      fail(`bad reference &${ref};`);
    i = end + 1;
  };
  if (text.startsWith("<?xml")) {
    const end = text.indexOf("?>");
    if (end < 0) fail("unterminated declaration");
    i = end + 2;
  }
  while (i < text.length) {
    const c = text[i];
    if (c === "<") {
      if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i + 4);
        if (end < 0) fail("unterminated comment");
        i = end + 3;
        continue;
      }
      if (text[i + 1] === "/") {
        i += 2;
        const name = readName();
        skipSpace();
        if (text[i] !== ">") fail("expected > after end tag");
        i++;
        const open = stack.pop();
        if (open !== name) fail(`end tag </${name}> closes <${open ?? "nothing"}>`);
        if (stack.length === 0) rootClosed = true;
        continue;
      }
      i++;
      if (rootClosed) fail("content after the root element");
      const name = readName();
      elements.push(name);
      const seen = new Set<string>();
      for (;;) {
        const spaced = skipSpace();
        if (text.startsWith("/>", i)) {
          i += 2;
          if (stack.length === 0) rootClosed = true;
          break;
        }
        if (text[i] === ">") {
          i++;
          stack.push(name);
          break;
        }
        if (!spaced) fail("expected space before attribute");
        const attr = readName();
        if (seen.has(attr)) fail(`duplicate attribute ${attr}`);
        seen.add(attr);
        skipSpace();
        if (text[i] !== "=") fail("expected =");
        i++;
        skipSpace();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") fail("expected quoted value");
        i++;
        while (text[i] !== quote) {
          if (i >= text.length) fail("unterminated attribute value");
          if (text[i] === "<") fail("raw < in attribute value");
          if (text[i] === "&") checkReference();
          else i++;
        }
        i++;
      }
      continue;
    }
    if (c === "&") {
      checkReference();
      continue;
    }
    if (stack.length === 0 && !" \t\r\n".includes(c ?? "")) fail("text outside the root element");
    i++;
  }
  if (stack.length > 0) fail(`unclosed <${stack.join("> <")}>`);
  if (!rootClosed) fail("no root element");
  return elements;
}
