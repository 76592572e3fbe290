/** Units at the edges: quantities in, SI numbers inside, formatted text out. */
export type { FormatOptions, QuantityOptions } from './quantity';
export { formatQuantity, fromUnit, parseQuantity, toUnit } from './quantity';
export type { Dimension, DimensionInfo, SignPolicy } from './unit-table';
export { DIMENSION_NAMES, DIMENSIONS, KELVIN_OFFSET } from './unit-table';
