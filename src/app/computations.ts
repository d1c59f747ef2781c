/**
 * The computations a request can make as long as it likes: an uncertainty
 * evaluation (symbolic differentiation, Monte Carlo), a batch of conformity
 * decisions, the parse of a large DCC. The server runs them in worker threads
 * with a deadline and a memory cap (runtime/compute-pool.ts), so that no
 * request can stall the others; the CLI and the tests run them here, in
 * process, where there is nobody else to stall.
 */
import { evaluateDecisions, readDecisionRequest } from '../codecs/conformity.ts';
import { type DccImport, readDcc } from '../codecs/dcc.ts';
import type { ReadOptions } from '../codecs/uncertainty-spec.ts';
import { UncertaintyService, type MonteCarloExecutor } from './uncertainty.ts';

export interface Computations {
  /**
   * An uncertainty spec (parsed JSON) → the contract's result, as JSON text:
   * the evaluation writes its text directly (the fast lane) and that text is
   * what crosses from a worker thread and goes out on the wire, so no result
   * object is built, copied between threads and serialised again.
   */
  evaluate(spec: unknown): Promise<string>;
  /** A conformity decision request (parsed JSON) → decisions with their specific risk. */
  decide(request: unknown): Promise<ReturnType<typeof evaluateDecisions>>;
  /** A DCC document → what the registry can take from it. */
  readDcc(xml: string): Promise<DccImport>;
}

/** The computations of one job, synchronously: what a worker thread runs, and the in-process variant. */
export class ComputationKernel {
  private readonly uncertainty: UncertaintyService;

  constructor(options: ReadOptions & { readonly monteCarlo?: MonteCarloExecutor } = {}) {
    this.uncertainty = new UncertaintyService(options);
  }

  run(job: ComputationJob): unknown {
    switch (job.kind) {
      case 'evaluate':
        return this.uncertainty.evaluateJsonText(job.input);
      case 'decide':
        return evaluateDecisions(readDecisionRequest(job.input));
      case 'dcc':
        return readDcc(job.input as string);
    }
  }
}

export type ComputationJob = { readonly kind: 'evaluate' | 'decide'; readonly input: unknown } | { readonly kind: 'dcc'; readonly input: string };

/** The computations in this process (CLI, tests). */
export function inProcess(kernel = new ComputationKernel()): Computations {
  return {
    evaluate: async (spec) => kernel.run({ kind: 'evaluate', input: spec }) as string,
    decide: async (request) => kernel.run({ kind: 'decide', input: request }) as ReturnType<typeof evaluateDecisions>,
    readDcc: async (xml) => kernel.run({ kind: 'dcc', input: xml }) as DccImport,
  };
}
