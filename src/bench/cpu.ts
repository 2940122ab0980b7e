/**
 * What this machine can do, read at run time (machines here differ: some have AVX-512 and VNNI,
 * some only AVX2): its model, cores, clock and vector extensions, and from them the peak rate of
 * int8 multiply-adds, the data type the quantized models compute in.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuInfo {
  model: string;
  cores: number;
  mhz: number;
  /** The vector extensions that matter for int8 inference, as the kernel reports them. */
  extensions: string[];
  /** Width in bits of the widest vector unit. */
  vectorBits: number;
  /** int8 operations (a multiply and an add count two) per cycle per core at that width. */
  int8OpsPerCycle: number;
  peakInt8OpsPerSecond: number;
}

const INTERESTING = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8'];

export function cpuInfo(
  cpuinfo = safeRead('/proc/cpuinfo'),
  maxKHz = safeRead('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq'),
): CpuInfo {
  const field = (name: string) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  const flags = new Set(field('flags').split(/\s+/));
  const extensions = INTERESTING.filter((flag) => flags.has(flag));
  // The nominal or maximum clock; /proc/cpuinfo's "cpu MHz" is the current one, a fallback.
  const mhz = maxKHz.trim() ? Number(maxKHz) / 1000 : Number(field('cpu MHz')) || 0;
  const vectorBits = flags.has('avx512f') ? 512 : flags.has('avx2') ? 256 : 128;
  // Per cycle: (bits / 8) int8 lanes × 2 operations (multiply, add) × 2 vector pipes. Without VNNI the
  // same work takes three instructions instead of one, so the ceiling is a third of that.
  const vnni = flags.has('avx512_vnni') || flags.has('avx_vnni');
  const int8OpsPerCycle = ((vectorBits / 8) * 2 * 2) / (vnni ? 1 : 3);
  const cores = availableParallelism();
  return {
    model: field('model name'),
    cores,
    mhz,
    extensions,
    vectorBits,
    int8OpsPerCycle,
    peakInt8OpsPerSecond: cores * mhz * 1e6 * int8OpsPerCycle,
  };
}

/** Operations per token of a BERT encoder from its config: the dense layers, plus attention over `sequenceLength` tokens. */
export function flopPerToken(
  config: { num_hidden_layers: number; hidden_size: number; intermediate_size: number },
  sequenceLength: number,
): number {
  const { num_hidden_layers: layers, hidden_size: h, intermediate_size: ffn } = config;
  const dense = 2 * (4 * h * h + 2 * h * ffn); // Q, K, V, output projections and the two feed-forward matrices
  const attention = 2 * 2 * sequenceLength * h; // scores and the weighted sum
  return layers * (dense + attention);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
