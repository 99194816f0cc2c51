// Moved to core/up (pledge up runs the same processes); test/env keeps importing it from here.
export * from '../../core/up/http-get.ts';
