import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { modelsDir, ROOT, TEST_MODEL } from './helpers.js';

/** The environment a CLI test runs with: the small test model, no rerankers, no Discord. */
export function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MODELS_DIR: modelsDir(),
    EMBEDDING_MODEL: TEST_MODEL,
    RERANK_MODELS: 'none',
    DISCORD_TOKEN: '',
    LOG_LEVEL: 'info',
    ...env,
  };
}

export interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI entry point (src/cli/*.ts) to the end, as a separate process. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}, input = ''): Finished {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: cliEnv(env),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Running {
  child: ChildProcess;
  /** Output so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when stderr or stdout matches. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  finished: Promise<Finished>;
}

/** Starts a CLI entry point in the background, with stdin open for writing. */
export function startScript(script: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: cliEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => (output.stdout += chunk));
  child.stderr!.on('data', (chunk) => (output.stderr += chunk));
  const finished = once(child, 'close').then(([status]) => ({ status: status as number | null, ...output }));
  return {
    child,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    async waitFor(pattern, stream = 'stderr', timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output[stream])) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no ${pattern} in ${stream}:\n${output.stderr}\n${output.stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    finished,
  };
}

/** A test's cleanup: kills a child process that is still running (SIGKILL) and waits until it has exited. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
}
