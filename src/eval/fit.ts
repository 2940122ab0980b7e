/**
 * The fitting used by the tuning scripts (scripts/tune-quotes.ts, scripts/tune-reader.ts): a
 * conditional logit (which of a question's candidate sentences holds the answer) and a logistic
 * regression (does this quote hold it), both by Newton's method.
 */
import type { TextEmbedder } from '../embedding/embedder.js';
import type { QuoteReader } from '../embedding/reader.js';

/** Each question embedded once per model, whatever the weights tried (for fitting loops). */
export function memoise(embedder: TextEmbedder): void {
  const cache = new Map<string, Promise<Float32Array>>();
  const original = embedder.embedQuery.bind(embedder);
  embedder.embedQuery = (text: string) => {
    let hit = cache.get(text);
    if (!hit) cache.set(text, (hit = original(text)));
    return hit;
  };
}

/**
 * Each question's sentences read once, for settings that act after reading (scripts/tune-reader.ts).
 * Returns the function that restores reading afresh, for steps that time it.
 */
export function memoiseReads(reader: Pick<QuoteReader, 'read'>): () => void {
  const cache = new Map<string, ReturnType<QuoteReader['read']>>();
  const original = reader.read;
  reader.read = (question, sentences, contexts) => {
    const key = [question, ...sentences].join('\u0000');
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = original.call(reader, question, sentences, contexts)));
    return hit;
  };
  return () => {
    reader.read = original;
  };
}

/**
 * Conditional logit: maximise Σ_groups log(Σ_{y=1} softmax(x·w)) − l2·|w|², by Newton's method on
 * the Fisher information (the softmax's covariance of x, positive definite with the L2 term),
 * halving the step while the objective does not improve.
 */
export function fitConditionalLogit(data: Array<{ x: number[][]; y: number[] }>, d: number, l2: number): number[] {
  const objective = (w: number[]) => {
    let total = 0;
    for (const { x, y } of data) {
      const s = x.map((row) => dot(row, w));
      const top = Math.max(...s);
      let all = 0;
      let positive = 0;
      s.forEach((v, i) => {
        const e = Math.exp(v - top);
        all += e;
        if (y[i]) positive += e;
      });
      total += Math.log(positive / all);
    }
    return total / data.length - l2 * dot(w, w);
  };
  let w = new Array<number>(d).fill(0);
  let current = objective(w);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = w.map((v) => -2 * l2 * v);
    const fisher = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 2 * l2 : 0)));
    for (const { x, y } of data) {
      const s = x.map((row) => dot(row, w));
      const top = Math.max(...s);
      const e = s.map((v) => Math.exp(v - top));
      const all = e.reduce((a, b) => a + b, 0);
      const positive = e.reduce((a, v, i) => a + (y[i] ? v : 0), 0);
      const mean = new Array<number>(d).fill(0);
      const meanPositive = new Array<number>(d).fill(0);
      x.forEach((row, i) => {
        for (let j = 0; j < d; j++) {
          mean[j]! += (e[i]! / all) * row[j]!;
          if (y[i]) meanPositive[j]! += (e[i]! / positive) * row[j]!;
        }
      });
      for (let j = 0; j < d; j++) gradient[j]! += (meanPositive[j]! - mean[j]!) / data.length;
      x.forEach((row, i) => {
        const p = e[i]! / all;
        for (let a = 0; a < d; a++)
          for (let b = 0; b < d; b++) fisher[a]![b]! += (p * (row[a]! - mean[a]!) * (row[b]! - mean[b]!)) / data.length;
      });
    }
    const step = solve(fisher, gradient);
    let scale = 1;
    let next = w.map((v, j) => v + step[j]!);
    let value = objective(next);
    while (value < current && scale > 1e-4) {
      scale /= 2;
      next = w.map((v, j) => v + scale * step[j]!);
      value = objective(next);
    }
    if (value < current) break;
    const gain = value - current;
    w = next;
    current = value;
    if (gain < 1e-7) break;
  }
  return w;
}

/** Logistic regression by Newton's method (the last feature is the bias). */
export function fitLogistic(data: Array<{ x: number[]; y: number }>): number[] {
  const d = data[0]!.x.length;
  let w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1e-6 : 0)));
    for (const { x, y } of data) {
      const p = 1 / (1 + Math.exp(-dot(x, w)));
      for (let i = 0; i < d; i++) {
        gradient[i]! += (p - y) * x[i]!;
        for (let j = 0; j < d; j++) hessian[i]![j]! += p * (1 - p) * x[i]! * x[j]!;
      }
    }
    const step = solve(hessian, gradient);
    w = w.map((v, i) => v - step[i]!);
  }
  return w;
}

function dot(a: number[], b: number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Gaussian elimination with partial pivoting: a·x = b. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let row = col + 1; row < n; row++) {
      const factor = m[row]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[row]![k]! -= factor * m[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row]![n]!;
    for (let k = row + 1; k < n; k++) sum -= m[row]![k]! * x[k]!;
    x[row] = sum / m[row]![row]!;
  }
  return x;
}
