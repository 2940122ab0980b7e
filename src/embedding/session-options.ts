import type ort from 'onnxruntime-node';

/** Session options for ONNX Runtime's CPU memory arena (and the memory pattern planned on it), on unless asked otherwise. */
export function arenaOptions(memoryArena = true): Pick<ort.InferenceSession.SessionOptions, 'enableCpuMemArena' | 'enableMemPattern'> {
  return memoryArena ? {} : { enableCpuMemArena: false, enableMemPattern: false };
}
