/**
 * Values prepared for xmlbuilder2, which leaves anything shaped like an entity reference (`&amp;`,
 * `&D;`) unescaped and writes line breaks raw into attributes. Free text of the log ("R&D;", a
 * two-line reason) must come back from any XML parser exactly as entered, so ampersands are escaped
 * here, and attribute line breaks and tabs become character references (a parser would otherwise
 * normalise them to spaces). Characters XML 1.0 cannot carry at all become U+FFFD, visibly.
 */
const NOT_XML_CHAR =
  // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 cannot carry
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const xmlText = (value: string): string => value.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;');

const xmlAttribute = (value: string): string => xmlText(value).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

export const xmlAttributes = (values: Readonly<Record<string, string | number>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, typeof value === 'number' ? String(value) : xmlAttribute(value)]),
  );
