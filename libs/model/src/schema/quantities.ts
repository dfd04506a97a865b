import { z } from 'zod';
import { problem, whenPresent } from '../diagnostics/problem';

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** Millicores of a Kubernetes CPU quantity (`500m`, `2`, `0.5`), or undefined when it is not one. */
export function parseCpu(value: string | number): number | undefined {
  const match = CPU.exec(String(value));
  if (!match) return undefined;
  const millicores = match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
  return Number.isFinite(millicores) && millicores > 0 ? Math.round(millicores) : undefined;
}

/** Bytes of a Kubernetes memory quantity (`512Mi`, `4Gi`, `1G`), or undefined when it is not one. */
export function parseMemory(value: string | number): number | undefined {
  const match = MEMORY.exec(String(value));
  if (!match) return undefined;
  const bytes = Number(match[1]) * MEMORY_FACTORS[match[2] ?? '']!;
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : undefined;
}

/** Kubernetes form of a CPU amount in millicores. */
export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Kubernetes form of a memory amount, in the largest binary unit that divides it. */
export function formatMemory(bytes: number): string {
  for (const unit of ['Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const factor = MEMORY_FACTORS[unit]!;
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

export const CpuQuantity = z
  .union([z.string(), z.number()], { error: whenPresent('is not a CPU amount', 'write cores or millicores, such as 2, 0.5 or 500m') })
  .refine((v) => parseCpu(v) !== undefined, { error: problem('is not a CPU amount', 'write cores or millicores, such as 2, 0.5 or 500m') })
  .meta({ description: 'CPU as a Kubernetes quantity: cores (`2`, `0.5`) or millicores (`500m`).', examples: ['500m', 2] });

export const MemoryQuantity = z
  .union([z.string(), z.number()], { error: whenPresent('is not a memory amount', 'write a Kubernetes quantity such as 512Mi or 4Gi') })
  .refine((v) => parseMemory(v) !== undefined, { error: problem('is not a memory amount', 'write a Kubernetes quantity such as 512Mi or 4Gi') })
  .meta({ description: 'Memory as a Kubernetes quantity, such as `512Mi` or `4Gi`.', examples: ['512Mi', '4Gi'] });
