// P&T's convert transform: a table of (from type, to type, format) conversions. The "from" type
// is the Go type of the input, so a JSON number is always a float64 here.

import { formatFloat } from './go-float.ts';
import { goParseBool, goParseFloat, goParseInt } from './go-strconv.ts';
import { goTypeName, isObject, type GoValue } from './json-value.ts';
import { parseGoJson } from './go-json.ts';
import { parseQuantity } from './quantity.ts';
import { goFloatToInt64, type Config } from './transforms.ts';

export const CONVERT_TYPES = ['string', 'bool', 'int', 'int64', 'float64', 'object', 'array'] as const;
export const CONVERT_FORMATS = ['none', 'quantity', 'json'] as const;

type Conversion = (input: GoValue) => GoValue;

const CONVERSIONS: Record<string, Conversion> = {
  'string>int64>none': (i) => goParseInt(i as string),
  'string>bool>none': (i) => goParseBool(i as string),
  'string>float64>none': (i) => goParseFloat(i as string),
  'string>float64>quantity': (i) => parseQuantity(i as string),
  'int64>string>none': (i) => (i as bigint).toString(),
  'int64>bool>none': (i) => i === 1n,
  'int64>float64>none': (i) => Number(i as bigint),
  'bool>string>none': (i) => String(i),
  'bool>int64>none': (i) => (i ? 1n : 0n),
  'bool>float64>none': (i) => (i ? 1 : 0),
  'float64>string>none': (i) => formatFloat(i as number, 'f', -1),
  'float64>int64>none': (i) => goFloatToInt64(i as number),
  'float64>bool>none': (i) => i === 1,
  'string>object>json': (i) => {
    const v = parseGoJson(i as string, 'map[string]interface {}');
    return v === null || isObject(v) ? v : null;
  },
  'string>array>json': (i) => parseGoJson(i as string, '[]interface {}'),
};

export function convertTransform(t: Config, input: GoValue): GoValue {
  const format = t.format === undefined || t.format === null ? 'none' : String(t.format);
  if (!(CONVERT_FORMATS as readonly string[]).includes(format)) throw new Error(`format: Invalid value: ${JSON.stringify(format)}: invalid format`);
  const toType = String(t.toType ?? '');
  if (!(CONVERT_TYPES as readonly string[]).includes(toType)) throw new Error(`toType: Invalid value: ${JSON.stringify(toType)}: invalid type`);
  const originalFrom = goTypeName(input);
  if (!['string', 'bool', 'int64', 'float64'].includes(originalFrom)) throw new Error(`invalid input type ${originalFrom}`);
  const to = toType === 'int' ? 'int64' : toType;
  if (to === originalFrom) return input;
  const conversion = CONVERSIONS[`${originalFrom}>${to}>${format}`];
  if (!conversion) throw new Error(`conversion from ${originalFrom} to ${to} is not supported with format ${format}`);
  return conversion(input);
}
