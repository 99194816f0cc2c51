export { colourEnabled, painter, type Colour, type Paint } from './colour.ts';
export { CliError, EXIT } from './exit-codes.ts';
export { formatData, formatTable, OUTPUT_FORMATS, outputFormat, type OutputFormat } from './format.ts';
export { startProgress, type Progress } from './progress.ts';
