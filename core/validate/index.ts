export { fieldPathText, indexCrds, kindKey, OBJECT_META, SchemaValidator, toAjvSchema, type FieldProblem, type SchemaIndex } from './schema-validator.ts';
