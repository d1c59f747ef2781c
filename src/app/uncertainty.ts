/**
 * The uncertainty use case shared by the CLI, the API and batch mode: a spec in
 * (already-parsed JSON), a result out (JSON with decimal strings). Compiled
 * models are cached by their text and quantity names, so a batch of
 * evaluations of one model compiles and differentiates it once.
 */
import { readFastSpec, writeFastResult, writeFastResultText, type FastSpec } from '../codecs/uncertainty-fast.ts';
import { readSpec, writeLpuResult, writeMonteCarloResult, type ReadOptions } from '../codecs/uncertainty-spec.ts';
import { exactModel, type ExactModel } from '../core/model/compile-exact.ts';
import { compileModel } from '../core/model/measurement-model.ts';
import { inferUnit } from '../core/model/units.ts';
import { evaluateLpuExact, type ExactOutput } from '../core/uncertainty/lpu-exact.ts';
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
  /** Exact closures by model key; null where the model is not for the exact kernel. */
  private readonly exactCache = new Map<string, { readonly model: ExactModel; readonly unit: string | null } | null>();

  constructor(private readonly options: ReadOptions & { readonly monteCarlo?: MonteCarloExecutor; readonly cacheSize?: number } = {}) {}

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

  /**
   * The result JSON of a spec (what the CLI's batch mode and the API return):
   * the common LPU spec through the exact kernel's fast lane, anything else
   * (and every error) through evaluate(). Both give the same text.
   */
  evaluateJson(raw: unknown): Record<string, unknown> {
    const out = this.fast(raw);
    return out ? writeFastResult(out) : this.evaluate(raw).json;
  }

  /** JSON.stringify(evaluateJson(raw)), the fast lane writing its text directly (the CLI's batch lines). */
  evaluateJsonText(raw: unknown): string {
    const out = this.fast(raw);
    return out ? writeFastResultText(out) : JSON.stringify(this.evaluate(raw).json);
  }

  /** The result by the fast lane, or null where the general lane decides. */
  private fast(raw: unknown): ExactOutput | null {
    const spec = readFastSpec(raw);
    if (!spec) return null;
    const model = this.exactModel(spec);
    return model && evaluateLpuExact(spec.measurand, model.model, model.unit, spec.inputs, spec.coverage);
  }

  private lastExact: { key: string; hit: { readonly model: ExactModel; readonly unit: string | null } | null } | null = null;

  private exactModel(spec: FastSpec): { readonly model: ExactModel; readonly unit: string | null } | null {
    // a batch repeats one model: compare with the last before hashing the key
    if (this.lastExact?.key === spec.modelKey) return this.lastExact.hit;
    let hit = this.exactCache.get(spec.modelKey);
    if (hit !== undefined) {
      this.exactCache.delete(spec.modelKey);
      this.exactCache.set(spec.modelKey, hit);
      this.lastExact = { key: spec.modelKey, hit };
      return hit;
    }
    const names = spec.inputs.map((q) => q.name);
    let compiled: ReturnType<typeof compileModel>;
    try {
      compiled = compileModel(spec.model, names, '/model');
    } catch {
      return null; // evaluate() reports it
    }
    const model = exactModel(compiled);
    hit = model ? { model, unit: inferUnit(compiled.node, new Map(spec.inputs.map((q) => [q.name, q.unit]))) } : null;
    if (this.exactCache.size >= (this.options.cacheSize ?? 256)) this.exactCache.delete(this.exactCache.keys().next().value!);
    this.exactCache.set(spec.modelKey, hit);
    this.lastExact = { key: spec.modelKey, hit };
    return hit;
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
