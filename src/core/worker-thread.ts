import { Worker } from 'node:worker_threads';

/**
 * Start a worker thread on the module `name` beside `base` (an `import.meta.url`). The project runs
 * its TypeScript source under tsx, whose loader a worker does not inherit, so from source it is
 * registered inside the worker first.
 */
export function startWorker(base: string, name: string, workerData: unknown): Worker {
  const fromSource = base.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, base);
  if (!fromSource) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
