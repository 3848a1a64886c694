// SPDX-License-Identifier: Apache-2.0

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** A size in decimal units with 3 significant digits, as `docker images` prints it: `4.26MB`, `1.2GB`. */
export function humanSize(bytes: number, precision = 3): string {
  return scaled(bytes, 1000, DECIMAL_UNITS, precision);
}

/** A size in binary units, as `docker info` prints memory: `7.637GiB`. */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, BINARY_UNITS, 4);
}

function scaled(value: number, base: number, units: string[], precision: number): string {
  let size = value;
  let unit = 0;
  while (size >= base && unit < units.length - 1) {
    size /= base;
    unit++;
  }
  return `${formatG(size, precision)}${units[unit]}`;
}

/** Go's `%.<precision>g`: significant digits, no trailing zeros, exponent form only for large or tiny values. */
export function formatG(value: number, precision: number): string {
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential(precision - 1).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= precision) {
    return `${trimZeros(mantissa)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trimZeros(value.toFixed(precision - 1 - exponent));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
