/**
 * The uncertainty use case shared by the CLI, the API and batch mode: a spec in
 * (already-parsed JSON), a result out (JSON with decimal strings). Compiled
 * models are cached by their text and quantity names, so a batch of
 * evaluations of one model compiles and differentiates it once.
 */
import { readSpec, writeLpuResult, writeMonteCarloResult, type ReadOptions } from '../codecs/uncertainty-spec.ts';
import { compileOutputs, evaluateLpu, type CompiledOutput, type LpuResult } from '../core/uncertainty/lpu.ts';
import { evaluateMonteCarlo, type McExecution, type McResult } from '../core/uncertainty/monte-carlo/evaluate.ts';
import type { EvaluationSpec } from '../core/uncertainty/spec.ts';

export interface Evaluation {
  readonly spec: EvaluationSpec;
  readonly lpu: LpuResult;
  readonly monteCarlo: McResult | null;
  /** The wire form of the result (the contract's output). */
  readonly json: Record<string, unknown>;
}

/**
 * Where Monte Carlo blocks run. A pool (src/runtime) receives the spec as
 * parsed JSON so that its threads can rebuild the same plan; `null` means
 * "run on this thread".
 */
export type MonteCarloExecutor = (raw: unknown, trials: number) => McExecution | null;

export class UncertaintyService {
  private readonly cache = new Map<string, CompiledOutput[]>();

  constructor(
    private readonly options: ReadOptions & { readonly monteCarlo?: MonteCarloExecutor; readonly cacheSize?: number } = {},
  ) {}

  /** Evaluates one spec (parsed JSON). Throws MetrologyError for a bad spec. */
  evaluate(raw: unknown): Evaluation {
    const spec = readSpec(raw, this.options);
    const compiled = this.compiled(spec);
    const lpu = evaluateLpu(spec, compiled);
    if (spec.method.kind === 'lpu') return { spec, lpu, monteCarlo: null, json: writeLpuResult(lpu) };
    const execution = this.options.monteCarlo?.(raw, spec.method.trials) ?? undefined;
    const mc = evaluateMonteCarlo(spec, compiled, lpu, execution);
    return { spec, lpu, monteCarlo: mc, json: writeMonteCarloResult(mc, lpu) };
  }

  private compiled(spec: EvaluationSpec): CompiledOutput[] {
    const key = JSON.stringify([spec.outputs.map((o) => [o.name, o.expression]), spec.quantities.map((q) => [q.name, q.unit])]);
    let hit = this.cache.get(key);
    if (hit) {
      // keep recently used entries at the end
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    hit = compileOutputs(spec.outputs, spec.quantities);
    if (this.cache.size >= (this.options.cacheSize ?? 256)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, hit);
    return hit;
  }
}
