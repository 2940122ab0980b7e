import { expect } from 'vitest';
import { ImportError } from '../../src/import/errors.js';

/** The message of the ImportError `run` throws (checked to be one), or 'no error'. */
export function importRefusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  return 'no error';
}
