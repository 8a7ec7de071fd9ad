/**
 * A number as a plain decimal string. ODM float values are xs:decimal and SDTM character results
 * are read by people: neither may carry JavaScript's exponent form (`1e-7`).
 */
export const decimalString = (value: number): string => {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const plain = String(value);
  const exponentAt = plain.search(/e/i);
  if (exponentAt < 0) return plain;

  const exponent = Number(plain.slice(exponentAt + 1));
  const mantissa = plain.slice(0, exponentAt);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
};
